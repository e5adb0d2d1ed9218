package org.arca.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.arca.store.StorageException;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.Fsync;
import org.arca.store.fs.StorageFailures;
import org.arca.store.journal.SegmentFiles.SegmentFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of a journal, which does group commit: callers enqueue records, and the writer thread
 * takes everything queued, writes it with one write, forces the segment once and only then
 * completes the callers' futures. While it forces, new callers queue up for the next batch, so the
 * number of forces grows with time spent forcing, not with the number of callers.
 *
 * <p>A batch is written and forced when (the flush triggers):
 * <ol>
 *   <li>the queue is empty after draining: the writer never waits for more records to arrive;
 *   <li>the batch has reached {@link JournalOptions#maxBatchBytes()}: the rest goes into the next batch;
 *   <li>the next record does not fit into the current segment: the batch ends there, and the next
 *       one starts in a new segment (created, header forced, directory fsynced);
 *   <li>{@link #close()} was called: everything queued before it is written, then the thread stops.
 * </ol>
 *
 * <p>Segments are preallocated (see {@link JournalSegment}): a new segment is written full of
 * zeros up to {@link JournalOptions#segmentSizeBytes()} before it takes records, and the last
 * segment found at open is zero-filled up to that size if it is shorter. Each batch then overwrites
 * allocated blocks and is forced with {@code fdatasync}, which commits no file-size change. If
 * preallocation fails (for example, the disk lacks the space), the segment is cut back to its
 * previous size and used without preallocation: appends then grow the file, and each force also
 * commits the new size, which is slower but just as durable.
 *
 * <p>On an IOException while writing, no record of the batch is acknowledged: the bytes the batch
 * may have written are cut (overwritten with zeros inside the preallocated part, otherwise
 * truncated away), which is retried before the next batch if that fails too, and every waiter of
 * the batch gets a classified {@link StorageException}. Later appends are attempted again, so the
 * journal works again once, for example, space has been freed.
 *
 * <p>A failed force is fatal for the segment, because after a failed fsync the kernel may have
 * marked the unwritten pages clean, so a later force of the same file can succeed without writing
 * them. The writer fails the batch, never writes a record into that segment again, truncates it to
 * the end of its last forced record (which a force of the new size makes durable), and continues
 * in a new segment. A segment without a forced record is deleted instead, and its successor takes
 * its name. Until the cut and the new segment succeed, every append fails.
 *
 * <p>A caller that finds no batch in progress and nothing queued writes and forces its record
 * itself ({@link #tryWriteInCaller}), which saves the two thread hand-offs of a lone ingest. While
 * it forces, later callers queue up for the writer thread as before, so group commit is unchanged.
 *
 * <p>Thread-safety: {@link #tryWriteInCaller}, {@link #enqueue}, {@link #durableState},
 * {@link #forceCount} and {@link #close} are safe for concurrent use. All other state belongs to
 * whichever thread holds {@code writeLock}: the writer thread or a caller writing its own record.
 */
final class JournalWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

    private static final PendingAppend STOP = new PendingAppend(0, new byte[0]);

    /** A record waiting for the writer, and the future that receives its sequence after the force. */
    static final class PendingAppend {
        final int type;
        final byte[] payload;
        final CompletableFuture<Long> sequence = new CompletableFuture<>();

        PendingAppend(int type, byte[] payload) {
            this.type = type;
            this.payload = payload;
        }
    }

    /** A snapshot of the forced records, the only ones readers may see. Immutable. */
    record DurableState(List<SegmentFile> segments, long lastSequence, byte[] lastHash, long endOfLastSegment) {
    }

    private final FileLayer files;
    private final Path directory;
    private final Clock clock;
    private final JournalOptions options;
    private final BlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private final Object enqueueLock = new Object();
    /** The lock held while a batch is written and forced, which guards the segment state below. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong forceCount = new AtomicLong();
    private final Thread thread;
    private boolean closed; // guarded by enqueueLock
    private volatile DurableState durable;

    // Guarded by writeLock (and owned by the constructor before the thread starts).
    private List<SegmentFile> segments;
    private FileChannel channel;
    private Path segmentPath;
    private long durablePosition;
    private long preallocatedSize; // the file size up to which every byte after durablePosition is zero
    private long failedWriteEnd; // the end of the bytes that a failed batch may have written
    private long durableSequence;
    private byte[] durableHash;
    private boolean failedWritePending;
    private boolean failedForcePending; // a force of the current segment failed, so it takes no more records
    private boolean newSegmentPending; // the failed segment was cut, so the next batch must start a new one
    private Path unfinishedSegment; // a segment whose creation failed and whose deletion failed too

    JournalWriter(FileLayer files, Path directory, Clock clock, JournalOptions options,
            JournalRecovery.RecoveredState recovered) throws IOException {
        this.files = files;
        this.directory = directory;
        this.clock = clock;
        this.options = options;
        this.segments = recovered.segments();
        this.durableSequence = recovered.lastSequence();
        this.durableHash = recovered.lastHash();

        if (segments.isEmpty()) {
            startSegmentAndFsync(durableSequence + 1);
        } else {
            SegmentFile last = segments.get(segments.size() - 1);
            segmentPath = last.path();
            channel = files.open(segmentPath, StandardOpenOption.WRITE);
            durablePosition = recovered.endOfLastSegment();
            preallocatedSize = preallocateOrContinueWithout(channel, segmentPath, channel.size());
            failedWriteEnd = durablePosition;
            publishDurableState();
        }
        this.thread = new Thread(this::run, "arca-journal-writer-" + directory.getFileName());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Writes and forces {@code append} in the calling thread when no batch is in progress and no
     * record is queued, and returns true; its future is then complete. Returns false, having done
     * nothing, when the caller must {@link #enqueue} the record instead.
     *
     * <p>An interrupted caller always queues: an interrupt during a write or force closes the
     * segment's channel, which the writer thread does not risk for a record of another thread.
     */
    boolean tryWriteInCaller(PendingAppend append) {
        if (Thread.currentThread().isInterrupted() || !writeLock.tryLock()) {
            return false;
        }
        try {
            synchronized (enqueueLock) {
                if (closed || !queue.isEmpty()) {
                    return false;
                }
            }
            writeAll(List.of(append));
            return true;
        } catch (RuntimeException | Error e) {
            stopAfterFatalErrorInCaller(append, e);
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the journal to appends as {@link #stopAfterFatalError} does, and lets the writer thread stop. */
    private void stopAfterFatalErrorInCaller(PendingAppend append, Throwable error) {
        LOG.error("Writing a record of journal {} stopped after an unexpected error; appends fail until the journal "
                + "is reopened.", directory, error);
        synchronized (enqueueLock) {
            if (!closed) {
                closed = true;
                queue.add(STOP);
            }
        }
        append.sequence.completeExceptionally(new IllegalStateException("Writing a record of journal " + directory
                + " stopped after an unexpected error; reopen the journal", error));
    }

    /** Queues a record; throws IllegalStateException if the journal is closed. */
    void enqueue(PendingAppend append) {
        synchronized (enqueueLock) {
            if (closed) {
                throw new IllegalStateException("The journal " + directory + " is closed; reopen it to append");
            }
            queue.add(append);
        }
    }

    DurableState durableState() {
        return durable;
    }

    long forceCount() {
        return forceCount.get();
    }

    int queueLength() {
        return queue.size();
    }

    /** Lets the writer finish every record queued so far, then stops it. Idempotent. */
    void close() {
        synchronized (enqueueLock) {
            if (!closed) {
                closed = true;
                queue.add(STOP);
            }
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while waiting for the writer of journal {} to finish; it continues "
                    + "in the background.", directory);
        }
    }

    private void run() {
        List<PendingAppend> drained = new ArrayList<>();
        try {
            boolean stop = false;
            while (!stop) {
                drained.add(queue.take());
                // Drains only once it holds the lock: records queued while a caller forced its own go into one batch.
                writeLock.lock();
                try {
                    queue.drainTo(drained);
                    stop = drained.get(drained.size() - 1) == STOP;
                    if (stop) {
                        drained.remove(drained.size() - 1);
                    }
                    writeAll(drained);
                } finally {
                    writeLock.unlock();
                }
                drained.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAfterFatalError(drained, e);
        } catch (RuntimeException | Error e) {
            stopAfterFatalError(drained, e);
            throw e;
        } finally {
            writeLock.lock();
            try {
                closeChannel();
            } finally {
                writeLock.unlock();
            }
        }
    }

    private void writeAll(List<PendingAppend> pending) {
        int next = 0;
        while (next < pending.size()) {
            next = writeBatchAndForce(pending, next);
        }
    }

    /** Writes and forces the records from {@code from}; returns the index after the last one handled. */
    private int writeBatchAndForce(List<PendingAppend> pending, int from) {
        int to = from + 1;
        try {
            deleteUnfinishedSegment();
            abandonFailedSegmentIfPending();
            cutFailedWriteIfPending();
            rollIfFull(JournalSegment.recordSize(pending.get(from).payload.length));
            to = batchEnd(pending, from);

            EncodedBatch batch = encode(pending, from, to);
            failedWriteEnd = durablePosition + batch.bytes().limit();
            writeFully(batch.bytes(), durablePosition);
            forceSegment();

            commit(batch);
            for (int i = from; i < to; i++) {
                pending.get(i).sequence.complete(batch.firstSequence() + (i - from));
            }
        } catch (IOException e) {
            failBatch(pending, from, to, e);
        }
        return to;
    }

    private int batchEnd(List<PendingAppend> pending, int from) {
        long room = options.segmentSizeBytes() - durablePosition;
        long total = JournalSegment.recordSize(pending.get(from).payload.length);
        int end = from + 1;
        while (end < pending.size()) {
            int size = JournalSegment.recordSize(pending.get(end).payload.length);
            if (total + size > options.maxBatchBytes() || total + size > room) {
                break;
            }
            total += size;
            end++;
        }
        return end;
    }

    private record EncodedBatch(ByteBuffer bytes, long firstSequence, long lastSequence, byte[] lastHash) {
    }

    private EncodedBatch encode(List<PendingAppend> pending, int from, int to) {
        int total = 0;
        for (int i = from; i < to; i++) {
            total += JournalSegment.recordSize(pending.get(i).payload.length);
        }

        ByteBuffer bytes = ByteBuffer.allocate(total);
        long sequence = durableSequence;
        byte[] hash = durableHash;
        for (int i = from; i < to; i++) {
            PendingAppend append = pending.get(i);
            sequence++;
            hash = JournalSegment.encodeRecord(bytes, sequence, clock.millis(), append.type, hash, append.payload);
        }
        return new EncodedBatch(bytes.flip(), durableSequence + 1, sequence, hash);
    }

    private void writeFully(ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private void commit(EncodedBatch batch) {
        durablePosition += batch.bytes().limit();
        durableSequence = batch.lastSequence();
        durableHash = batch.lastHash();
        publishDurableState();
    }

    private void publishDurableState() {
        durable = new DurableState(segments, durableSequence, durableHash, durablePosition);
    }

    private void failBatch(List<PendingAppend> pending, int from, int to, IOException cause) {
        StorageException failure = StorageFailures.classify(cause, segmentPath);
        LOG.error("Failed to append {} records to journal segment {} after sequence {} ({}); none of them "
                + "is acknowledged. {}", to - from, segmentPath, durableSequence, failure.kind(), failure.getMessage());
        if (failedForcePending) {
            abandonFailedSegmentQuietly();
        } else {
            cutFailedWrite();
        }
        for (int i = from; i < to; i++) {
            pending.get(i).sequence.completeExceptionally(failure);
        }
    }

    /** Cuts what the failed batch may have written, so that no unacknowledged bytes stay in the segment. */
    private void cutFailedWrite() {
        failedWritePending = true;
        try {
            cutFailedWriteIfPending();
        } catch (IOException e) {
            LOG.error("Failed to cut journal segment {} back to the last forced position {}; "
                    + "retrying before the next append: {}", segmentPath, durablePosition, e.toString());
        }
    }

    private void cutFailedWriteIfPending() throws IOException {
        if (!failedWritePending) {
            return;
        }
        if (!channel.isOpen()) {
            channel = files.open(segmentPath, StandardOpenOption.WRITE);
        }
        if (failedWriteEnd <= preallocatedSize) {
            SegmentPreallocation.writeZeros(channel, durablePosition, failedWriteEnd);
        } else {
            channel.truncate(durablePosition);
            preallocatedSize = Math.min(preallocatedSize, durablePosition);
        }
        failedWritePending = false;
        forceSegment();
        failedWriteEnd = durablePosition;
    }

    /**
     * Forces the current segment ({@code fdatasync}). A failure marks the segment as failed, so no
     * record goes into it again (see the class comment).
     */
    private void forceSegment() throws IOException {
        try {
            channel.force(false);
        } catch (IOException e) {
            failedForcePending = true;
            failedWritePending = false;
            LOG.error("The force of journal segment {} failed; the segment takes no more records, is cut back to "
                    + "its last forced record at offset {} (sequence {}) and the journal continues in a new segment.",
                    segmentPath, durablePosition, durableSequence);
            throw e;
        }
        forceCount.incrementAndGet();
    }

    private void abandonFailedSegmentQuietly() {
        try {
            abandonFailedSegmentIfPending();
        } catch (IOException e) {
            LOG.error("Failed to cut journal segment {} after its failed force, or to start the next segment; "
                    + "every append fails until this succeeds. Retrying before the next append: {}",
                    segmentPath, e.toString());
        }
    }

    /**
     * Cuts a segment whose force failed back to its last forced record and starts the next segment.
     * The cut is a truncate forced with the new size: a new metadata change that does not rely on
     * the failed pages. A segment without a forced record is deleted instead.
     */
    private void abandonFailedSegmentIfPending() throws IOException {
        if (failedForcePending) {
            closeQuietly(channel, segmentPath);
            if (durablePosition <= JournalSegment.HEADER_SIZE) {
                files.deleteIfExists(segmentPath);
                Fsync.fsyncDirectory(files, directory);
                segments = List.copyOf(segments.subList(0, segments.size() - 1));
            } else {
                JournalRecovery.truncateAndFsync(files, segmentPath, durablePosition);
                forceCount.incrementAndGet();
            }
            failedForcePending = false;
            newSegmentPending = true;
            LOG.warn("Cut journal segment {} back to offset {} after its failed force; sequence {} is its last "
                    + "record.", segmentPath, durablePosition, durableSequence);
        }
        if (newSegmentPending) {
            startSegmentAndFsync(durableSequence + 1);
            newSegmentPending = false;
        }
    }

    // TODO: preallocate the next segment in the background once the current one is half full; the
    // roll now writes the whole next segment (64 MiB by default) while the batch that needs it waits.
    private void rollIfFull(int nextRecordSize) throws IOException {
        boolean segmentHasRecords = durablePosition > JournalSegment.HEADER_SIZE;
        if (segmentHasRecords && durablePosition + nextRecordSize > options.segmentSizeBytes()) {
            Path previous = segmentPath;
            long previousSize = durablePosition;
            FileChannel previousChannel = channel;
            startSegmentAndFsync(durableSequence + 1);
            closeQuietly(previousChannel, previous);
            LOG.info("Started journal segment {} because segment {} reached {} bytes.", segmentPath, previous,
                    previousSize);
        }
    }

    /**
     * Creates the segment for {@code firstSequence}, writes its header, preallocates it, forces it,
     * fsyncs the directory and makes it the current segment. On failure the current segment stays as it was, and
     * the new file is deleted now or, if that fails too, before the next batch.
     */
    private void startSegmentAndFsync(long firstSequence) throws IOException {
        Path path = directory.resolve(JournalSegment.fileName(firstSequence));
        FileChannel created = files.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        long createdSize;
        try {
            ByteBuffer header = JournalSegment.encodeHeader(firstSequence, clock.millis());
            while (header.hasRemaining()) {
                created.write(header, header.position());
            }
            createdSize = preallocateOrContinueWithout(created, path, JournalSegment.HEADER_SIZE);
            Fsync.fsyncDirectory(files, directory);
        } catch (IOException e) {
            closeQuietly(created, path);
            unfinishedSegment = path;
            deleteUnfinishedSegmentQuietly();
            throw StorageFailures.classify(e, path);
        }

        List<SegmentFile> extended = new ArrayList<>(segments);
        extended.add(new SegmentFile(firstSequence, path));
        segments = List.copyOf(extended);
        channel = created;
        segmentPath = path;
        durablePosition = JournalSegment.HEADER_SIZE;
        preallocatedSize = createdSize;
        failedWriteEnd = durablePosition;
        failedWritePending = false;
        publishDurableState();
    }

    /**
     * Zero-fills {@code segment} from {@code sizeBytes} (its current size) up to the segment size and
     * fsyncs it. If writing the zeros fails, cuts the file back to {@code sizeBytes}, fsyncs it and
     * logs that the segment continues without preallocation. A failed fsync is thrown: after it the
     * file is not used for records (see the class comment).
     *
     * @return the size of the file afterwards, up to which it is zero-filled
     */
    private long preallocateOrContinueWithout(FileChannel segment, Path path, long sizeBytes) throws IOException {
        long target = options.segmentSizeBytes();
        long size = target;
        if (sizeBytes >= target) {
            return sizeBytes;
        }
        try {
            SegmentPreallocation.writeZeros(segment, sizeBytes, target);
        } catch (IOException e) {
            LOG.warn("Failed to preallocate the journal segment {} to {} bytes ({}); continuing without "
                    + "preallocation, so each force also commits the growing file size.", path, target, e.toString());
            segment.truncate(sizeBytes);
            size = sizeBytes;
        }
        segment.force(true);
        forceCount.incrementAndGet();
        return size;
    }

    private void stopAfterFatalError(List<PendingAppend> drained, Throwable error) {
        LOG.error("The writer of journal {} stopped after an unexpected error; appends fail until the journal "
                + "is reopened.", directory, error);
        List<PendingAppend> unanswered = new ArrayList<>(drained);
        synchronized (enqueueLock) {
            closed = true;
            queue.drainTo(unanswered);
        }
        IllegalStateException failure = new IllegalStateException("The writer of journal " + directory
                + " stopped after an unexpected error; reopen the journal", error);
        for (PendingAppend append : unanswered) {
            append.sequence.completeExceptionally(failure);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            closeQuietly(channel, segmentPath);
        }
    }

    private static void closeQuietly(FileChannel channel, Path path) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Failed to close journal segment {}: {}", path, e.toString());
        }
    }

    private void deleteUnfinishedSegmentQuietly() {
        try {
            deleteUnfinishedSegment();
        } catch (IOException e) {
            LOG.warn("Failed to delete the unfinished journal segment {}; retrying before the next append: {}",
                    unfinishedSegment, e.toString());
        }
    }

    /**
     * Deletes a segment whose creation failed. No record may be appended while it exists, because a
     * later roll to another first sequence would leave it in the middle of the journal.
     */
    private void deleteUnfinishedSegment() throws IOException {
        if (unfinishedSegment == null) {
            return;
        }
        files.deleteIfExists(unfinishedSegment);
        Fsync.fsyncDirectory(files, directory);
        unfinishedSegment = null;
    }
}
