package org.arca.store.journal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import org.arca.store.StorageException;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.Fsync;
import org.arca.store.fs.StorageFailures;
import org.arca.store.journal.JournalRecovery.RecoveredState;
import org.arca.store.journal.JournalWriter.DurableState;
import org.arca.store.journal.JournalWriter.PendingAppend;
import org.arca.store.journal.SegmentFiles.SegmentFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of the archive: a segmented, append-only sequence of records, each numbered,
 * timestamped, CRC32C-protected and chained to its predecessor by SHA-256. It is the truth of the
 * archive (the index is rebuilt from it). The file format is described in {@link JournalSegment}.
 *
 * <p>On disk: {@code <directory>/<20-digit first sequence>.seg}, one file per segment; the writer
 * starts a new segment when the current one reaches {@link JournalOptions#segmentSizeBytes()}.
 *
 * <p>Invariants: {@link #appendAndForce} returns a sequence only after the record has been forced
 * to disk (there is no setting that acknowledges earlier); sequences are strictly +1 with no gap;
 * readers see only forced records; recovery at {@link #open} cuts only a torn tail of the last
 * segment and refuses (or, if configured, quarantines) anything else. One {@code Journal} at a
 * time may have a directory open: {@code journal.lock} holds an OS file lock while it is open.
 *
 * <p>Thread-safety: every public method is safe for concurrent use, as noted on each.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path directory;
    private final JournalLock lock;
    private final JournalWriter writer;
    private final RecoveryReport recoveryReport;
    private final Object compactionLock = new Object();
    private volatile JournalAnchor anchor; // null while the journal starts at sequence 1
    private volatile long firstSequence;

    private Journal(Path directory, JournalLock lock, JournalWriter writer, RecoveryReport recoveryReport,
            JournalAnchor anchor, long firstSequence) {
        this.directory = directory;
        this.lock = lock;
        this.writer = writer;
        this.recoveryReport = recoveryReport;
        this.anchor = firstSequence > 1 ? anchor : null;
        this.firstSequence = firstSequence;
    }

    /**
     * Opens (or creates) the journal in {@code directory}, runs recovery and starts the writer.
     *
     * @throws JournalCorruptionException if a segment is corrupt other than by a torn tail and
     *     quarantine is not enabled
     * @throws JournalFormatException if a segment has an unknown magic value or format version
     * @throws StorageException on any other I/O failure
     */
    public static Journal open(Path directory, Clock clock, JournalOptions options) throws IOException {
        return open(directory, clock, options, FileLayer.nio());
    }

    /** {@link #open(Path, Clock, JournalOptions)} with every segment operation through {@code files}. */
    public static Journal open(Path directory, Clock clock, JournalOptions options, FileLayer files)
            throws IOException {
        return open(directory, clock, options, files, null);
    }

    /**
     * Opens the journal like {@link #open(Path, Clock, JournalOptions, FileLayer)}; a journal that
     * compaction left starting after sequence 1 opens only when it chains to {@code anchor} (see
     * {@link JournalAnchor}). {@code anchor} may be null for a journal that starts at sequence 1.
     *
     * @throws JournalCorruptionException also when the journal starts after sequence 1 and
     *     {@code anchor} is null or does not match
     */
    public static Journal open(Path directory, Clock clock, JournalOptions options, FileLayer files,
            JournalAnchor anchor) throws IOException {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(options, "options");
        Path absolute = directory.toAbsolutePath();
        JournalLock lock;
        try {
            Fsync.createDirectoriesAndFsync(files, absolute);
            lock = JournalLock.acquire(absolute);
        } catch (IOException e) {
            throw StorageFailures.classify(e, absolute);
        }

        try {
            RecoveredState recovered = JournalRecovery.recover(files, absolute, options, clock, anchor);
            JournalWriter writer = new JournalWriter(files, absolute, clock, options, recovered);
            writer.start();
            long first = recovered.segments().isEmpty() ? recovered.lastSequence() + 1
                    : recovered.segments().get(0).firstSequence();
            return new Journal(absolute, lock, writer, recovered.report(), anchor, Math.max(1, first));
        } catch (JournalCorruptionException | JournalFormatException e) {
            lock.close();
            throw e;
        } catch (IOException e) {
            lock.close();
            throw StorageFailures.classify(e, absolute);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Appends a record and returns its sequence once it is forced to disk. Concurrent callers share
     * one force (group commit). The caller must not change {@code payload} until this returns.
     * Thread-safe; blocks until the force.
     *
     * @throws StorageException (kind NO_SPACE or IO_ERROR) if the write or force failed. The record is
     *     not acknowledged, and the writer truncates it away when it can. A later append may succeed.
     * @throws InterruptedIOException if interrupted while waiting; the record may or may not have
     *     been written, and it is not acknowledged
     * @throws IllegalStateException if the journal is closed
     * @throws IllegalArgumentException if the payload exceeds {@link JournalSegment#MAX_PAYLOAD_SIZE}
     */
    public long appendAndForce(int type, byte[] payload) throws IOException {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > JournalSegment.MAX_PAYLOAD_SIZE) {
            throw new IllegalArgumentException("Journal record payload of " + payload.length
                    + " bytes exceeds the maximum of " + JournalSegment.MAX_PAYLOAD_SIZE + " bytes");
        }

        PendingAppend append = new PendingAppend(type, payload);
        if (!writer.tryWriteInCaller(append)) {
            writer.enqueue(append);
        }
        try {
            return append.sequence.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the journal " + directory
                    + " to force a record; the record is not acknowledged");
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** Wraps the writer's failure so that each caller gets its own stack trace. */
    private static IOException rethrown(Throwable cause) {
        if (cause instanceof StorageException storage) {
            return new StorageException(storage.kind(), storage.path(), storage.getMessage(), storage);
        }
        if (cause instanceof IllegalStateException state) {
            throw new IllegalStateException(state.getMessage(), state);
        }
        return new IOException("Journal append failed: " + cause, cause);
    }

    /** Returns the sequence of the last forced record, 0 if none. Thread-safe. */
    public long lastSequence() {
        return writer.durableState().lastSequence();
    }

    /**
     * Returns the sequence of the first record the journal contains: 1 until compaction removes
     * segments, then the first sequence of the oldest retained segment (one more than the last
     * sequence when no record follows). Thread-safe.
     */
    public long firstSequence() {
        return firstSequence;
    }

    /** Returns the anchor of a compacted journal's hash chain, empty while it starts at sequence 1. Thread-safe. */
    public Optional<JournalAnchor> anchor() {
        return Optional.ofNullable(anchor);
    }

    /**
     * Opens a reader from {@code fromSequence} to the last record forced at this moment.
     * Thread-safe; the reader itself is for one thread.
     *
     * @throws JournalCompactedException if compaction removed {@code fromSequence}; start from a checkpoint
     */
    public JournalReader read(long fromSequence) {
        long first = firstSequence;
        if (Math.max(1, fromSequence) < first) {
            throw new JournalCompactedException(fromSequence, first);
        }
        return new JournalReader(retained(writer.durableState(), first), fromSequence, false);
    }

    /** Opens a reader from the first retained record to the last record forced at this moment. Thread-safe. */
    public JournalReader readRetained() {
        return read(firstSequence);
    }

    /** Returns {@code state} without the segments that compaction removed. */
    private static DurableState retained(DurableState state, long first) {
        List<SegmentFile> segments = state.segments();
        int from = 0;
        while (from < segments.size() - 1 && segments.get(from + 1).firstSequence() <= first) {
            from++;
        }
        if (from == 0) {
            return state;
        }
        return new DurableState(segments.subList(from, segments.size()), state.lastSequence(), state.lastHash(),
                state.endOfLastSegment());
    }

    /**
     * Returns the records that {@link #removeSegmentsThroughAndFsync} with this {@code throughSequence}
     * would remove now: the whole segments, never the active one, whose records all have sequences at
     * or below it. Empty when there is none. Thread-safe.
     */
    public Optional<RemovedRange> removableThrough(long throughSequence) {
        DurableState state = retained(writer.durableState(), firstSequence);
        List<SegmentFile> segments = state.segments();
        int count = 0;
        while (count < segments.size() - 1 && segments.get(count + 1).firstSequence() - 1 <= throughSequence) {
            count++;
        }
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(new RemovedRange(firstSequence, segments.get(count).firstSequence() - 1, count));
    }

    /**
     * Removes every whole segment whose records all have sequences at or below
     * {@code throughSequence}, oldest first, fsyncing the directory after each removal so that a
     * crash leaves a contiguous journal. The active (last) segment is never removed. First checks that
     * the record at the anchor's sequence hashes to the anchor's SHA-256, so the retained journal
     * chains to it. Thread-safe; runs concurrently with appends.
     *
     * <p>A reader opened before the call that has not yet reached a removed segment fails with an
     * I/O error when it gets there; readers opened after it start at the new first sequence.
     *
     * @param newAnchor the checkpoint that the retained journal continues; its sequence must be at
     *     least {@code throughSequence}
     * @return the removed range, empty when no whole segment lies at or below {@code throughSequence}
     * @throws JournalCorruptionException if the record at the anchor's sequence does not match it;
     *     nothing is removed then
     */
    public Optional<RemovedRange> removeSegmentsThroughAndFsync(long throughSequence, JournalAnchor newAnchor)
            throws IOException {
        Objects.requireNonNull(newAnchor, "newAnchor");
        if (throughSequence > newAnchor.sequence()) {
            throw new IllegalArgumentException("Cannot compact the journal " + directory + " through sequence "
                    + throughSequence + ", past its anchor at sequence " + newAnchor.sequence());
        }
        synchronized (compactionLock) {
            DurableState state = retained(writer.durableState(), firstSequence);
            if (newAnchor.sequence() > state.lastSequence()) {
                throw new IllegalArgumentException("Cannot anchor the journal " + directory + " at sequence "
                        + newAnchor.sequence() + ", because it ends at sequence " + state.lastSequence());
            }
            checkRecordMatches(state, newAnchor);

            Optional<RemovedRange> range = removableThrough(throughSequence);
            if (range.isEmpty()) {
                return range;
            }
            List<SegmentFile> removable = state.segments().subList(0, range.get().segmentCount());
            anchor = newAnchor;
            firstSequence = range.get().lastSequence() + 1;
            for (SegmentFile segment : removable) {
                deleteAndFsyncDirectory(segment.path());
            }
            LOG.info("Removed {} journal segments of {} with sequences {} to {}; the journal now starts at sequence {}"
                    + " and is anchored at {}.", removable.size(), directory, range.get().firstSequence(),
                    range.get().lastSequence(), firstSequence, newAnchor);
            return range;
        }
    }

    /**
     * The records that {@link #removeSegmentsThroughAndFsync} removed.
     *
     * @param firstSequence the first removed sequence
     * @param lastSequence the last removed sequence
     * @param segmentCount the number of segment files removed
     */
    public record RemovedRange(long firstSequence, long lastSequence, int segmentCount) {
    }

    private void checkRecordMatches(DurableState state, JournalAnchor newAnchor) throws IOException {
        try (JournalReader reader = new JournalReader(state, newAnchor.sequence(), false)) {
            JournalRecord record = reader.hasNext() ? reader.next() : null;
            if (record == null || record.sequence() != newAnchor.sequence()
                    || !Arrays.equals(record.hash(), newAnchor.sha256())) {
                throw new JournalCorruptionException(directory, 0, newAnchor.sequence(), "the journal record at "
                        + "sequence " + newAnchor.sequence() + " does not match the anchor at " + newAnchor
                        + ", so the checkpoint does not belong to this journal; nothing was removed");
            }
        }
    }

    private void deleteAndFsyncDirectory(Path segment) throws IOException {
        try {
            Files.delete(segment);
            Fsync.fsyncDirectory(directory);
        } catch (IOException e) {
            throw StorageFailures.classify(e, segment);
        }
    }

    /**
     * Opens a reader over the journal in {@code directory} without opening it for writing: no lock is
     * taken and nothing is cut. The reader stops with {@link JournalCorruptionException} at the first
     * defect, a torn tail included, which the next open for writing would cut. In the last segment,
     * the first zero length field ends the records, because a running writer may be appending there.
     */
    public static JournalReader readDirectory(Path directory, long fromSequence) throws IOException {
        List<SegmentFile> segments = SegmentFiles.list(directory);
        long first = segments.isEmpty() ? 1 : segments.get(0).firstSequence();
        if (Math.max(1, fromSequence) < first) {
            throw new JournalCompactedException(fromSequence, first);
        }
        long endOfLast = segments.isEmpty() ? 0 : sizeOf(segments.get(segments.size() - 1).path());
        return new JournalReader(new DurableState(segments, Long.MAX_VALUE, null, endOfLast), fromSequence, true);
    }

    /**
     * Rereads every forced record and reports every CRC, length, sequence and chain problem with
     * segment and offset. Thread-safe; runs concurrently with appends.
     */
    public JournalVerification verify() throws IOException {
        DurableState state = retained(writer.durableState(), firstSequence);
        return verifySegments(state.segments(), state.endOfLastSegment(), state.lastSequence(), anchor);
    }

    /**
     * Rereads every record of the journal in {@code directory} without opening it for writing:
     * no lock is taken and nothing is cut, so it runs beside a node that writes to the journal.
     * A torn tail that the next open would cut is reported as a problem. In the last segment, the
     * first zero length field ends the scan, because a running writer may be appending there: non-zero
     * bytes after it are not reported here, but the next open for writing checks and cuts them.
     */
    public static JournalVerification verifyDirectory(Path directory) throws IOException {
        return verifyDirectory(directory, null);
    }

    /**
     * Verifies like {@link #verifyDirectory(Path)}; a journal that starts after sequence 1 must chain
     * to {@code anchor}, and is reported with a BROKEN_CHAIN problem when it does not or the anchor is null.
     */
    public static JournalVerification verifyDirectory(Path directory, JournalAnchor anchor) throws IOException {
        List<SegmentFile> segments = SegmentFiles.list(directory);
        long endOfLast = segments.isEmpty() ? 0 : sizeOf(segments.get(segments.size() - 1).path());
        return verifySegments(segments, endOfLast, -1, anchor);
    }

    /**
     * Returns the first sequence of the oldest segment in {@code directory}, 1 when it has none: the
     * sequence an anchor must reach back to (minus one) before the journal can open.
     */
    public static long firstSegmentSequence(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 1;
        }
        List<SegmentFile> segments = SegmentFiles.list(directory);
        return segments.isEmpty() ? 1 : segments.get(0).firstSequence();
    }

    /**
     * Scans the segments in order; {@code lastSequence} below 0 means "the last one the scan finds".
     * A first segment after sequence 1 is checked against {@code anchor}.
     */
    private static JournalVerification verifySegments(List<SegmentFile> segments, long endOfLastSegment,
            long lastSequence, JournalAnchor anchor) throws IOException {
        List<JournalProblem> problems = new ArrayList<>();
        long expectedSequence = segments.isEmpty() ? 1 : segments.get(0).firstSequence();
        byte[] expectedPreviousHash = expectedSequence == 1 ? JournalRecovery.ZERO_HASH : null;
        long recordCount = 0;

        for (int i = 0; i < segments.size(); i++) {
            SegmentFile segment = segments.get(i);
            long limit = i == segments.size() - 1 ? endOfLastSegment : sizeOf(segment.path());
            ByteBuffer bytes = headerOrProblem(segment, limit, problems);
            if (bytes == null) {
                continue;
            }
            if (segment.firstSequence() != expectedSequence) {
                problems.add(new JournalProblem(segment.path(), 0, expectedSequence, JournalDefect.SEQUENCE_GAP,
                        "the segment starts at sequence " + segment.firstSequence()));
                expectedSequence = segment.firstSequence();
            }

            boolean mayBeGrowing = lastSequence < 0 && i == segments.size() - 1;
            SegmentScan scan = SegmentScan.scan(segment.path(), bytes, expectedSequence, expectedPreviousHash,
                    mayBeGrowing);
            problems.addAll(scan.problems);
            recordCount += scan.recordCount;
            expectedSequence = scan.nextSequence;
            expectedPreviousHash = scan.nextPreviousHash;
        }
        long last = lastSequence >= 0 ? lastSequence : expectedSequence - 1;
        if (!segments.isEmpty() && segments.get(0).firstSequence() > 1) {
            checkAnchor(segments, endOfLastSegment, last, anchor, lastSequence < 0, problems);
        }
        return new JournalVerification(segments.size(), recordCount, last, problems);
    }

    private static void checkAnchor(List<SegmentFile> segments, long endOfLastSegment, long last,
            JournalAnchor anchor, boolean lastSegmentMayGrow, List<JournalProblem> problems) throws IOException {
        try {
            JournalProblem problem = AnchorCheck.check(new DurableState(segments, last, null, endOfLastSegment),
                    anchor, lastSegmentMayGrow);
            if (problem != null) {
                problems.add(problem);
            }
        } catch (JournalCorruptionException e) {
            // The scan above already reported the defect that stopped the anchor check.
            LOG.debug("The anchor check of the journal stopped at a defect: {}", e.getMessage());
        }
    }

    private static ByteBuffer headerOrProblem(SegmentFile segment, long limit, List<JournalProblem> problems)
            throws IOException {
        if (limit < JournalSegment.HEADER_SIZE) {
            problems.add(new JournalProblem(segment.path(), 0, segment.firstSequence(), JournalDefect.TORN_HEADER,
                    "the segment has " + limit + " bytes, fewer than its header"));
            return null;
        }
        ByteBuffer bytes = SegmentFiles.readFully(segment.path(), limit);
        try {
            JournalSegment.readHeader(bytes, segment.path());
            return bytes;
        } catch (JournalFormatException | JournalCorruptionException e) {
            problems.add(new JournalProblem(segment.path(), 0, segment.firstSequence(), JournalDefect.BAD_HEADER,
                    e.getMessage()));
            return null;
        }
    }

    private static long sizeOf(Path path) throws StorageException {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw StorageFailures.classify(e, path);
        }
    }

    /** Returns what recovery found and cut when this journal was opened. Thread-safe. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** Returns the number of forces done so far (for metrics and the group-commit test). Thread-safe. */
    public long forceCount() {
        return writer.forceCount();
    }

    /** Returns the number of appends waiting for the writer (for metrics and tests). Thread-safe. */
    int queuedAppends() {
        return writer.queueLength();
    }

    public Path directory() {
        return directory;
    }

    /**
     * Waits until every append queued before this call is forced (or failed), then stops the
     * writer. Later appends throw IllegalStateException. Idempotent and thread-safe.
     */
    @Override
    public void close() {
        writer.close();
        lock.close();
    }
}
