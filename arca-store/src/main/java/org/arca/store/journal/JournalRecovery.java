package org.arca.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.arca.store.fs.FileLayer;
import org.arca.store.fs.Fsync;
import org.arca.store.journal.JournalSegment.SegmentHeader;
import org.arca.store.journal.JournalWriter.DurableState;
import org.arca.store.journal.RecoveryReport.Cut;
import org.arca.store.journal.SegmentFiles.SegmentFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of a journal directory at open: reads every segment, validates magic, version, header,
 * every record's CRC, sequence continuity and the hash chain, and then
 *
 * <ol>
 *   <li>keeps a zero-filled tail after the last record as it is: that is the preallocated rest of a
 *       segment (see {@link JournalSegment}), not a defect, so it is neither cut nor logged;
 *   <li>cuts a torn tail of the last segment, then fsyncs and logs. A torn tail is a defect that
 *       a crash during an append can leave: either no good record follows it, or the rest is one
 *       batch whose sectors a power loss persisted only in part (see {@link #isTornBatch}): in a preallocated segment (one at
 *       least {@link JournalOptions#segmentSizeBytes()} long) it overwrites the bytes from the end
 *       of the last good record to the last non-zero byte with zeros, which keeps the segment
 *       preallocated; in a shorter segment it truncates to the end of the last good record;
 *   <li>removes a last segment that has no record and a torn or stale header, followed by nothing
 *       or by zeros only (a crash or a failed roll while starting a new segment);
 *   <li>throws {@link JournalCorruptionException} for any other defect, unless quarantine is
 *       enabled, in which case the damaged segment and all later ones are copied to the quarantine
 *       directory and the journal is cut at the defect.
 * </ol>
 *
 * Not thread-safe; {@link Journal#open} runs it before the writer starts.
 */
final class JournalRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

    static final byte[] ZERO_HASH = new byte[JournalSegment.HASH_SIZE];

    /** The shortest run of zero bytes that {@link #isTornBatch} takes as space a write never reached. */
    static final int UNWRITTEN_RUN_BYTES = 64;

    private final FileLayer files;
    private final Path directory;
    private final JournalOptions options;
    private final Clock clock;
    private final List<Cut> cuts = new ArrayList<>();
    private final List<Path> quarantined = new ArrayList<>();
    private final List<SegmentFile> segments;

    private final JournalAnchor anchor;
    private long nextSequence = 1;
    private byte[] lastHash = ZERO_HASH; // null until the first record of a compacted journal is read
    private long recordCount;
    private long endOfLastSegment;

    private JournalRecovery(FileLayer files, Path directory, JournalOptions options, Clock clock,
            List<SegmentFile> segments, JournalAnchor anchor) {
        this.anchor = anchor;
        this.files = files;
        this.directory = directory;
        this.options = options;
        this.clock = clock;
        this.segments = segments;
    }

    /** The chain state after recovery, from which the writer continues. */
    record RecoveredState(List<SegmentFile> segments, long lastSequence, byte[] lastHash, long endOfLastSegment,
            RecoveryReport report) {
    }

    /**
     * Recovers the journal in {@code directory}. A journal whose first segment starts after sequence
     * 1 (compacted) needs {@code anchor}, else it is refused; a null anchor is fine for one that
     * starts at sequence 1.
     *
     * @throws JournalCorruptionException if the retained journal does not chain to the anchor
     */
    static RecoveredState recover(FileLayer files, Path directory, JournalOptions options, Clock clock,
            JournalAnchor anchor) throws IOException {
        JournalRecovery recovery = new JournalRecovery(files, directory, options, clock,
                SegmentFiles.list(files, directory), anchor);
        recovery.startAfterCompaction();
        recovery.recoverSegments();
        return recovery.resultAnchored();
    }

    /**
     * Continues the chain of a compacted journal at its first segment. The first record's previous
     * hash is taken as read and checked against the anchor once every segment is recovered.
     */
    private void startAfterCompaction() throws IOException {
        if (segments.isEmpty() || segments.get(0).firstSequence() == 1) {
            return;
        }
        long first = segments.get(0).firstSequence();
        if (anchor == null) {
            LOG.error("Refusing to open the journal {}: it starts at sequence {} and no checkpoint anchors it.",
                    directory, first);
            throw new JournalCorruptionException(segments.get(0).path(), 0, first, "the journal starts at sequence "
                    + first + ", so older segments were removed, but no checkpoint manifest at sequence " + (first - 1)
                    + " or later anchors its hash chain; restore the checkpoints directory or the removed segments");
        }
        nextSequence = first;
        lastHash = null;
    }

    /** Returns {@link #result()} after checking that a compacted journal chains to its anchor. */
    private RecoveredState resultAnchored() throws IOException {
        RecoveredState state = result();
        if (lastHash != null) {
            if (state.segments().isEmpty() || state.segments().get(0).firstSequence() == 1) {
                return state;
            }
        } else if (anchor.sequence() != state.lastSequence()) {
            throw new JournalCorruptionException(directory, 0, state.lastSequence() + 1, "the journal has no "
                    + "record after compaction, so it continues from the anchor, but the anchor at " + anchor
                    + " does not name the last removed record " + state.lastSequence()
                    + "; restore the checkpoint manifest at that sequence");
        }
        DurableState durable = new DurableState(state.segments(), state.lastSequence(), state.lastHash(),
                state.endOfLastSegment());
        JournalProblem problem = AnchorCheck.check(durable, anchor, false);
        if (problem != null) {
            LOG.error("Refusing to open the journal {}: {}", directory, problem);
            throw new JournalCorruptionException(problem.segment(), problem.offset(), problem.expectedSequence(),
                    problem.defect() + ", " + problem.detail());
        }
        if (state.lastHash() == null) {
            // No retained record: the anchor is the record that the next append chains to.
            return new RecoveredState(state.segments(), state.lastSequence(), anchor.sha256(),
                    state.endOfLastSegment(), state.report());
        }
        return state;
    }

    private void recoverSegments() throws IOException {
        for (int i = 0; i < segments.size(); i++) {
            boolean cutHere = recoverSegment(i, i == segments.size() - 1);
            if (cutHere) {
                return;
            }
        }
    }

    /** Recovers one segment; returns true if the journal now ends in this or an earlier segment. */
    private boolean recoverSegment(int index, boolean last) throws IOException {
        SegmentFile segment = segments.get(index);
        long sizeBytes = files.size(segment.path());
        ByteBuffer bytes = SegmentFiles.readFully(files, segment.path(), sizeBytes);

        // 1. The header: a torn one can only be the newest segment, started just before a crash.
        if (isTornHeader(bytes)) {
            JournalProblem problem = new JournalProblem(segment.path(), 0, nextSequence, JournalDefect.TORN_HEADER,
                    "the segment has " + sizeBytes + " bytes and no valid header");
            if (last) {
                removeRecordlessSegment(index, sizeBytes, problem);
                return true;
            }
            return handleCorruption(index, problem, 0);
        }
        JournalProblem headerProblem = checkHeader(segment, bytes);
        if (headerProblem != null && last && JournalSegment.isZero(bytes, JournalSegment.HEADER_SIZE, bytes.limit())) {
            // A segment left over from a failed roll: it has no records, so removing it loses nothing.
            removeRecordlessSegment(index, sizeBytes, headerProblem);
            return true;
        }
        if (headerProblem != null) {
            return handleCorruption(index, headerProblem, 0);
        }

        // 2. The records.
        SegmentScan scan = SegmentScan.scan(segment.path(), bytes, nextSequence, lastHash);
        if (!scan.hasProblems()) {
            accept(scan, scan.endOfGoodPrefix);
            return false;
        }
        JournalProblem problem = scan.firstProblem();
        if (last && problem.defect().canBeTornWrite()
                && (!scan.goodRecordAfterFirstProblem || isTornBatch(bytes, scan))) {
            accept(scan, scan.endOfGoodPrefix);
            if (sizeBytes >= options.segmentSizeBytes()) {
                zeroTornTail(segment.path(), bytes, scan, problem);
            } else {
                cutTornTail(segment.path(), scan, sizeBytes, problem);
            }
            return true;
        }
        return handleCorruption(index, problem, scan);
    }

    /**
     * Checks whether the bytes after the good prefix are one batch whose sectors a power loss
     * persisted only in part, so that a good record can follow the defect. The writer forces each
     * batch before it writes the next, so only the last batch can be torn, and none of its records
     * was acknowledged. Two conditions tell this from damage to forced records, which is refused:
     * every non-zero byte after the prefix fits into one batch, and among them lies a run of at
     * least {@value #UNWRITTEN_RUN_BYTES} zero bytes, space that the write never reached. A flipped
     * bit leaves no such run, and no encoded record with a JSON payload contains one (its longest
     * zero run is the 32-byte previous hash of the first record).
     */
    // NOTE: a torn batch whose only lost part is shorter than the run, or that was written with a
    // larger maxBatchBytes than this run's, is still refused and then needs quarantine.
    private boolean isTornBatch(ByteBuffer bytes, SegmentScan scan) {
        int from = Math.toIntExact(scan.endOfGoodPrefix);
        int end = JournalSegment.endOfNonZeroBytes(bytes, from, bytes.limit());
        return end - from <= options.maxBatchBytes() && hasZeroRun(bytes, from, end, UNWRITTEN_RUN_BYTES);
    }

    private static boolean hasZeroRun(ByteBuffer bytes, int from, int to, int length) {
        int run = 0;
        for (int i = from; i < to; i++) {
            run = bytes.get(i) == 0 ? run + 1 : 0;
            if (run >= length) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks for the shapes a crash while creating a segment leaves: fewer bytes than a header, only
     * zero bytes, or a header with the right magic but a bad CRC (a torn header write) followed by
     * nothing or by the zeros of preallocation.
     */
    private static boolean isTornHeader(ByteBuffer bytes) {
        if (bytes.limit() < JournalSegment.HEADER_SIZE) {
            return true;
        }
        if (JournalSegment.hasMagic(bytes) && !JournalSegment.headerCrcMatches(bytes)
                && JournalSegment.isZero(bytes, JournalSegment.HEADER_SIZE, bytes.limit())) {
            return true;
        }
        return JournalSegment.isZero(bytes, 0, bytes.limit());
    }

    /** Returns the header problem, or null if the header is good. Unknown magic or version throws. */
    private JournalProblem checkHeader(SegmentFile segment, ByteBuffer bytes) throws IOException {
        SegmentHeader header;
        try {
            header = JournalSegment.readHeader(bytes, segment.path());
        } catch (JournalCorruptionException e) {
            return new JournalProblem(segment.path(), 0, nextSequence, JournalDefect.BAD_HEADER, e.getMessage());
        }

        if (header.firstSequence() != segment.firstSequence() || header.firstSequence() != nextSequence) {
            return new JournalProblem(segment.path(), 0, nextSequence, JournalDefect.BAD_HEADER,
                    "the header declares first sequence " + header.firstSequence() + ", the file name "
                            + segment.firstSequence() + ", and the previous segment ends before " + nextSequence);
        }
        return null;
    }

    private void accept(SegmentScan scan, long end) {
        recordCount += scan.goodPrefixCount;
        nextSequence = scan.lastGoodSequence + 1;
        lastHash = scan.lastGoodHash;
        endOfLastSegment = end;
    }

    private void cutTornTail(Path segment, SegmentScan scan, long sizeBytes, JournalProblem problem)
            throws IOException {
        long bytesCut = sizeBytes - scan.endOfGoodPrefix;
        truncateAndFsync(files, segment, scan.endOfGoodPrefix);
        cuts.add(new Cut(segment, scan.endOfGoodPrefix, bytesCut, problem.defect(), false));
        LOG.warn("Cut the torn tail of journal segment {} at offset {}: removed {} bytes ({}: {}). "
                        + "Records up to sequence {} are intact; the cut records were never acknowledged.",
                segment, scan.endOfGoodPrefix, bytesCut, problem.defect(), problem.detail(), scan.lastGoodSequence);
    }

    /**
     * Cuts a torn tail inside a preallocated segment by overwriting it with zeros up to its last
     * non-zero byte, then forces the data. The file keeps its size, so appends stay inside
     * allocated blocks.
     */
    private void zeroTornTail(Path segment, ByteBuffer bytes, SegmentScan scan, JournalProblem problem)
            throws IOException {
        int from = Math.toIntExact(scan.endOfGoodPrefix);
        int to = JournalSegment.endOfNonZeroBytes(bytes, from, bytes.limit());
        try (FileChannel channel = files.open(segment, StandardOpenOption.WRITE)) {
            SegmentPreallocation.writeZeros(channel, from, to);
            channel.force(false);
        }
        cuts.add(new Cut(segment, from, to - from, problem.defect(), false));
        LOG.warn("Cut the torn tail of journal segment {} at offset {}: removed {} bytes ({}: {}) by overwriting "
                        + "them with zeros, which keeps the segment preallocated. Records up to sequence {} are "
                        + "intact; the cut records were never acknowledged.",
                segment, from, to - from, problem.defect(), problem.detail(), scan.lastGoodSequence);
    }

    /** Removes the last segment, which has no record: it was being created when the previous run stopped. */
    private void removeRecordlessSegment(int index, long sizeBytes, JournalProblem problem) throws IOException {
        Path segment = segments.get(index).path();
        files.delete(segment);
        Fsync.fsyncDirectory(files, directory);
        segments.remove(index);
        cuts.add(new Cut(segment, 0, sizeBytes, problem.defect(), true));
        LOG.warn("Removed the journal segment {} ({} bytes, {}: {}). It contains no record, so it was being "
                + "created when the previous run stopped.", segment, sizeBytes, problem.defect(), problem.detail());
    }

    private boolean handleCorruption(int index, JournalProblem problem, SegmentScan scan) throws IOException {
        if (scan != null) {
            accept(scan, scan.endOfGoodPrefix);
        }
        return handleCorruption(index, problem, scan == null ? 0 : scan.endOfGoodPrefix);
    }

    /**
     * Throws JournalCorruptionException, or with quarantine enabled copies segment {@code index} and every later one
     * aside and cuts the journal at {@code cutOffset} (0 removes the whole segment).
     */
    private boolean handleCorruption(int index, JournalProblem problem, long cutOffset) throws IOException {
        if (!options.quarantineCorruptSegments()) {
            LOG.error("Refusing to open the journal {}: {}", directory, problem);
            throw new JournalCorruptionException(problem.segment(), problem.offset(), problem.expectedSequence(),
                    problem.defect() + ", " + problem.detail());
        }

        Path quarantineDirectory = options.quarantineDirectoryFor(directory);
        // TODO: the quarantine copies are written with plain NIO, outside the FileLayer, so the
        // power-loss tests do not cover this path.
        Fsync.createDirectoriesAndFsync(quarantineDirectory);
        String stamp = Long.toString(clock.millis());
        for (int j = index; j < segments.size(); j++) {
            quarantine(segments.get(j).path(), quarantineDirectory, stamp, problem);
        }
        Fsync.fsyncDirectory(quarantineDirectory);

        cutAtDefect(index, problem, cutOffset);
        Fsync.fsyncDirectory(files, directory);
        return true;
    }

    private void quarantine(Path segment, Path quarantineDirectory, String stamp, JournalProblem problem)
            throws IOException {
        Path copy = quarantineDirectory.resolve(stamp + "-" + segment.getFileName());
        Files.copy(segment, copy, StandardCopyOption.REPLACE_EXISTING);
        Fsync.fsyncFile(copy);
        Path reason = quarantineDirectory.resolve(stamp + "-" + segment.getFileName() + ".reason.txt");
        Files.writeString(reason, "Quarantined by journal recovery because of: " + problem + "\n",
                StandardCharsets.UTF_8);
        Fsync.fsyncFile(reason);
        quarantined.add(copy);
        LOG.error("Quarantined the journal segment {} as {} because of {}", segment, copy, problem);
    }

    private void cutAtDefect(int index, JournalProblem problem, long cutOffset) throws IOException {
        while (segments.size() > index + 1) {
            SegmentFile removed = segments.remove(segments.size() - 1);
            long sizeBytes = files.size(removed.path());
            files.delete(removed.path());
            cuts.add(new Cut(removed.path(), 0, sizeBytes, problem.defect(), true));
            LOG.error("Removed the journal segment {} after the corruption; its copy is in quarantine.",
                    removed.path());
        }

        Path segment = segments.get(index).path();
        long sizeBytes = files.size(segment);
        if (cutOffset < JournalSegment.HEADER_SIZE) {
            files.delete(segment);
            segments.remove(index);
            cuts.add(new Cut(segment, 0, sizeBytes, problem.defect(), true));
            LOG.error("Removed the corrupt journal segment {}; its copy is in quarantine.", segment);
            return;
        }
        truncateAndFsync(files, segment, cutOffset);
        cuts.add(new Cut(segment, cutOffset, sizeBytes - cutOffset, problem.defect(), false));
        LOG.error("Cut the journal segment {} at offset {} after the corruption; removed {} bytes. "
                + "The journal now ends at sequence {}.", segment, cutOffset, sizeBytes - cutOffset, nextSequence - 1);
    }

    static void truncateAndFsync(FileLayer files, Path segment, long sizeBytes) throws IOException {
        try (FileChannel channel = files.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(sizeBytes);
            channel.force(true);
        }
    }

    private RecoveredState result() {
        long lastSequence = nextSequence - 1;
        if (segments.isEmpty()) {
            endOfLastSegment = 0;
        }
        RecoveryReport report = new RecoveryReport(segments.size(), recordCount, lastSequence, cuts, quarantined);
        LOG.info("Recovered the journal {}: segment files {}, records {}, last sequence {}, cuts {}, quarantined {}.",
                directory, segments.size(), recordCount, lastSequence, cuts.size(), quarantined.size());
        return new RecoveredState(List.copyOf(segments), lastSequence, lastHash, endOfLastSegment, report);
    }
}
