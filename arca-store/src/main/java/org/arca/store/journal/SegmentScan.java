package org.arca.store.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.arca.store.journal.JournalSegment.JournalRecordAt;
import org.arca.store.journal.JournalSegment.ParsedRecord;

/**
 * The result of reading every record of one segment and checking CRCs, sequence continuity and the
 * hash chain. Recovery uses the good prefix and the first problem; verification uses every problem.
 * After a defect the scan resumes at the next record it can find, so that one damaged record does
 * not hide the ones after it. The scan ends at the limit or at a zero-filled tail (the preallocated
 * rest of the segment), which is not a problem. Not thread-safe; one thread builds and reads a scan.
 */
final class SegmentScan {

    final Path path;
    final List<JournalProblem> problems = new ArrayList<>();
    long recordCount;
    long goodPrefixCount;

    /** The end of the last record before the first problem: where recovery would cut. */
    long endOfGoodPrefix = JournalSegment.HEADER_SIZE;
    long lastGoodSequence;
    byte[] lastGoodHash;

    /** Whether a record with a good CRC follows the first problem (then it is not a torn tail). */
    boolean goodRecordAfterFirstProblem;

    /** The chain state at the end of the scan, which the next segment continues. */
    long nextSequence;
    byte[] nextPreviousHash;

    private SegmentScan(Path path, long expectedSequence, byte[] expectedPreviousHash) {
        this.path = path;
        this.lastGoodSequence = expectedSequence - 1;
        this.lastGoodHash = expectedPreviousHash;
        this.nextSequence = expectedSequence;
        this.nextPreviousHash = expectedPreviousHash;
    }

    /**
     * Scans the records of {@code segment} (from the end of the header to its limit), expecting the
     * first to have {@code expectedSequence} and to carry {@code expectedPreviousHash}. A null
     * {@code expectedPreviousHash} accepts any previous hash in the first record: the first segment of
     * a compacted journal, whose chain {@link AnchorCheck} checks against the anchor.
     */
    static SegmentScan scan(Path path, ByteBuffer segment, long expectedSequence, byte[] expectedPreviousHash) {
        return scan(path, segment, expectedSequence, expectedPreviousHash, false);
    }

    /**
     * Scans like {@link #scan(Path, ByteBuffer, long, byte[])}. If {@code mayBeGrowing} is true, the
     * segment is the last one of a journal that a writer may be appending to while it was read, so
     * the first zero length field at a record boundary ends the scan even if non-zero bytes follow:
     * they can be records that the writer added after the reader had passed that offset.
     */
    static SegmentScan scan(Path path, ByteBuffer segment, long expectedSequence, byte[] expectedPreviousHash,
            boolean mayBeGrowing) {
        SegmentScan scan = new SegmentScan(path, expectedSequence, expectedPreviousHash);
        long offset = JournalSegment.HEADER_SIZE;
        boolean chainKnown = true;

        while (offset < segment.limit()) {
            ParsedRecord parsed = JournalSegment.parseRecord(segment, offset);
            if (parsed.defect() == JournalDefect.ZERO_FILLED_TAIL
                    || (mayBeGrowing && JournalSegment.hasZeroLengthAt(segment, offset))) {
                break; // the preallocated rest of the segment
            }
            if (parsed.record() == null) {
                offset = scan.skipDefect(segment, offset, parsed);
                chainKnown = false;
                continue;
            }

            JournalRecordAt at = parsed.record();
            if (chainKnown) {
                scan.checkChain(at);
            } else if (!scan.problems.isEmpty()) {
                scan.goodRecordAfterFirstProblem = true;
            }
            scan.accept(at);
            chainKnown = true;
            offset = at.end();
        }
        return scan;
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    JournalProblem firstProblem() {
        return problems.get(0);
    }

    /** Records the defect and returns the offset of the next good record, or the limit if none. */
    private long skipDefect(ByteBuffer segment, long offset, ParsedRecord parsed) {
        if (parsed.defect() == JournalDefect.BAD_CRC) {
            addProblem(offset, parsed.defect(), "record length " + parsed.length()
                    + " is plausible but the CRC32C does not match its bytes");
            return offset + JournalSegment.LENGTH_FIELD_SIZE + parsed.length();
        }

        long next = findNextGoodRecord(segment, offset + 1);
        long skipped = next - offset;
        addProblem(offset, parsed.defect(), skipped + " bytes up to "
                + (next < segment.limit() ? "the next good record at offset " + next : "the end of the segment")
                + " are not a readable record");
        return next;
    }

    private long findNextGoodRecord(ByteBuffer segment, long from) {
        // A record after the defect cannot have a sequence beyond this bound, so random bytes
        // almost never pass the sequence check and the search rarely computes a CRC.
        long maxSequence = nextSequence + segment.limit() / JournalSegment.MIN_RECORD_SIZE + 1;
        for (long offset = from; offset <= segment.limit() - JournalSegment.MIN_RECORD_SIZE; offset++) {
            if (JournalSegment.isGoodRecordAt(segment, (int) offset, 1, maxSequence)) {
                return offset;
            }
        }
        return segment.limit();
    }

    private void checkChain(JournalRecordAt at) {
        JournalRecord record = at.record();
        if (record.sequence() != nextSequence) {
            addProblem(at.offset(), JournalDefect.SEQUENCE_GAP, "found sequence " + record.sequence());
        } else if (nextPreviousHash != null && !Arrays.equals(record.previousHash(), nextPreviousHash)) {
            addProblem(at.offset(), JournalDefect.BROKEN_CHAIN, "sequence " + record.sequence()
                    + " carries previous hash " + HexFormat.of().formatHex(record.previousHash())
                    + " but the previous record hashes to " + HexFormat.of().formatHex(nextPreviousHash));
        }
    }

    private void accept(JournalRecordAt at) {
        recordCount++;
        if (problems.isEmpty()) {
            goodPrefixCount++;
            endOfGoodPrefix = at.end();
            lastGoodSequence = at.record().sequence();
            lastGoodHash = at.record().hash();
        }
        nextSequence = at.record().sequence() + 1;
        nextPreviousHash = at.record().hash();
    }

    private void addProblem(long offset, JournalDefect defect, String detail) {
        problems.add(new JournalProblem(path, offset, nextSequence, defect, detail));
    }
}
