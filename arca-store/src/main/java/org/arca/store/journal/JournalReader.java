package org.arca.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import org.arca.store.journal.JournalSegment.JournalRecordAt;
import org.arca.store.journal.JournalSegment.ParsedRecord;
import org.arca.store.journal.JournalSegment.SegmentHeader;
import org.arca.store.journal.JournalWriter.DurableState;
import org.arca.store.journal.SegmentFiles.SegmentFile;

/**
 * Iterates the records of a journal in sequence order, across segments, from a given sequence up
 * to the last record that was durable when the reader was created. Every record's CRC, sequence
 * and hash chain are checked as it is read; a defect throws {@link JournalCorruptionException}.
 *
 * <p>Thread-safety: not thread-safe; use one reader per thread. Readers run concurrently with
 * appends and never see a record that has not been forced.
 */
public final class JournalReader implements AutoCloseable {

    private final List<SegmentFile> segments;
    private final long lastSequence;
    private final long endOfLastSegment;
    private final long fromSequence;

    private int segmentIndex;
    private ByteBuffer segment;
    private long offset;
    private JournalRecord previous;
    private JournalRecord next;

    JournalReader(DurableState state, long fromSequence) {
        this.segments = state.segments();
        this.lastSequence = state.lastSequence();
        this.endOfLastSegment = state.endOfLastSegment();
        this.fromSequence = Math.max(1, fromSequence);
        this.segmentIndex = firstSegmentIndex(segments, this.fromSequence);
    }

    private static int firstSegmentIndex(List<SegmentFile> segments, long fromSequence) {
        int index = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).firstSequence() <= fromSequence) {
                index = i;
            }
        }
        return index;
    }

    /** Returns whether another record exists, reading ahead if needed. */
    public boolean hasNext() throws IOException {
        while (next == null) {
            JournalRecord record = readNext();
            if (record == null) {
                return false;
            }
            if (record.sequence() >= fromSequence) {
                next = record;
            }
        }
        return true;
    }

    /**
     * Returns the next record.
     *
     * @throws NoSuchElementException if {@link #hasNext()} returns false
     */
    public JournalRecord next() throws IOException {
        if (!hasNext()) {
            throw new NoSuchElementException("No journal record after sequence "
                    + (previous == null ? fromSequence - 1 : previous.sequence()));
        }
        JournalRecord record = next;
        next = null;
        return record;
    }

    /** Releases the current segment; mapped segments are unmapped by the garbage collector. */
    @Override
    public void close() {
        segment = null;
        segmentIndex = segments.size();
    }

    private JournalRecord readNext() throws IOException {
        if (previous != null && previous.sequence() >= lastSequence) {
            return null;
        }
        while (segment == null || offset >= segment.limit()) {
            if (segment != null) {
                segmentIndex++;
            }
            if (segmentIndex >= segments.size()) {
                return null;
            }
            openSegment(segments.get(segmentIndex));
        }
        return readRecord(segments.get(segmentIndex));
    }

    private void openSegment(SegmentFile file) throws IOException {
        boolean last = segmentIndex == segments.size() - 1;
        long limit = last ? endOfLastSegment : Files.size(file.path());
        if (limit < JournalSegment.HEADER_SIZE) {
            throw new JournalCorruptionException(file.path(), 0, file.firstSequence(),
                    "the segment has " + limit + " bytes, fewer than its header");
        }
        segment = SegmentFiles.mapReadOnly(file.path(), limit);
        SegmentHeader header = JournalSegment.readHeader(segment, file.path());
        if (header.firstSequence() != file.firstSequence()) {
            throw new JournalCorruptionException(file.path(), 0, file.firstSequence(),
                    "the header declares first sequence " + header.firstSequence());
        }
        offset = JournalSegment.HEADER_SIZE;
    }

    private JournalRecord readRecord(SegmentFile file) throws IOException {
        long expected = previous == null ? file.firstSequence() : previous.sequence() + 1;
        ParsedRecord parsed = JournalSegment.parseRecord(segment, offset);
        if (parsed.record() == null) {
            throw new JournalCorruptionException(file.path(), offset, expected, parsed.defect().toString());
        }

        JournalRecordAt at = parsed.record();
        JournalRecord record = at.record();
        if (previous != null && record.sequence() != expected) {
            throw new JournalCorruptionException(file.path(), offset, expected,
                    "found sequence " + record.sequence());
        }
        if (previous != null && !Arrays.equals(record.previousHash(), previous.hash())) {
            throw new JournalCorruptionException(file.path(), offset, expected,
                    "the record does not carry the SHA-256 of the previous record (broken hash chain)");
        }
        offset = at.end();
        previous = record;
        return record;
    }
}
