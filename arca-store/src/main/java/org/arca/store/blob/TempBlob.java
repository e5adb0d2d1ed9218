package org.arca.store.blob;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.arca.store.StorageException;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.StorageFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blob being written: a file in the store's {@code tmp/} directory and the SHA-256 over exactly
 * the bytes written to {@link #outputStream()}. Publish it with
 * {@link BlobStore#publishAndFsync(TempBlob)}; {@link #close()} deletes it if it was not published,
 * so that a try-with-resources block never leaves a partial file behind:
 *
 * <pre>{@code
 * try (TempBlob temp = store.createTemp()) {
 *     received.transferTo(temp.outputStream());
 *     BlobId id = store.publishAndFsync(temp);
 * }
 * }</pre>
 *
 * <p>Writes are buffered ({@value #BUFFER_SIZE} bytes) so that throughput is bound by the disk,
 * not by system calls. A failed write deletes the file and throws a classified
 * {@link StorageException}.
 *
 * <p>Thread-safety: not thread-safe; one thread writes and publishes a temp blob.
 */
public final class TempBlob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TempBlob.class);

    /** The write buffer size in bytes. */
    public static final int BUFFER_SIZE = 256 * 1024;

    private enum State { WRITING, FINISHED, PUBLISHED, DISCARDED }

    private final FileLayer files;
    private final Path path;
    private final FileChannel channel;
    private final MessageDigest sha256;
    private final WriteBehind writeBehind;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final OutputStream outputStream = new HashingOutputStream();
    private long sizeBytes;
    private State state = State.WRITING;

    /** Bytes written to the file since the last early flush started. */
    private long bytesSinceEarlyFlush;

    /** The last early flush, null before the first. A failed one is kept, so that the blob fails. */
    private CompletableFuture<Void> earlyFlush;

    /** @param writeBehind flushes the file early while it grows, or null to flush only at the end */
    TempBlob(FileLayer files, Path path, FileChannel channel, MessageDigest sha256, WriteBehind writeBehind) {
        this.files = files;
        this.path = path;
        this.channel = channel;
        this.sha256 = sha256;
        this.writeBehind = writeBehind;
    }

    /** Returns the stream to write the blob's bytes to; closing it does not publish or discard. */
    public OutputStream outputStream() {
        return outputStream;
    }

    /** Returns the number of bytes written so far. */
    public long size() {
        return sizeBytes;
    }

    /** Returns the temporary file. */
    public Path path() {
        return path;
    }

    /** Deletes the temporary file. Does nothing if it was already published or discarded. */
    public void discard() {
        if (state == State.PUBLISHED || state == State.DISCARDED) {
            return;
        }
        state = State.DISCARDED;

        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Failed to close the temporary blob {}: {}", path, e.toString());
        }
        try {
            files.deleteIfExists(path);
        } catch (IOException e) {
            // BlobStore.open deletes leftovers in tmp/, so the file does not outlive a restart.
            LOG.warn("Failed to delete the temporary blob {}; it will be deleted at the next start: {}",
                    path, e.toString());
        }
    }

    /** Discards the temporary file unless it was published. */
    @Override
    public void close() {
        discard();
    }

    /**
     * Writes the buffered bytes, makes the file read-only, fsyncs and closes it, and returns the
     * SHA-256 of everything written. Deletes the file on failure, including the failure of an
     * earlier early flush.
     */
    byte[] finishAndFsync() throws StorageException {
        requireWriting();
        try {
            flushBuffer();
            awaitEarlyFlush();
            makeReadOnly();
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw failAndDiscard(e);
        }
        state = State.FINISHED;
        return sha256.digest();
    }

    void markPublished() {
        state = State.PUBLISHED;
    }

    private void makeReadOnly() throws IOException {
        files.setReadOnly(path);
    }

    private void write(byte[] bytes, int offset, int length) throws StorageException {
        requireWriting();
        sha256.update(bytes, offset, length);
        sizeBytes += length;

        try {
            int position = offset;
            int remaining = length;
            while (remaining > 0) {
                int chunk = Math.min(remaining, buffer.remaining());
                buffer.put(bytes, position, chunk);
                position += chunk;
                remaining -= chunk;
                if (!buffer.hasRemaining()) {
                    flushBuffer();
                }
            }
        } catch (IOException e) {
            throw failAndDiscard(e);
        }
    }

    private void flushBuffer() throws IOException {
        throwIfEarlyFlushFailed();
        buffer.flip();
        while (buffer.hasRemaining()) {
            bytesSinceEarlyFlush += channel.write(buffer);
        }
        buffer.clear();
        startEarlyFlushIfDue();
    }

    /**
     * Starts an early flush once {@link WriteBehind#INTERVAL_BYTES} were written since the last one
     * started, unless that one still runs or failed.
     */
    private void startEarlyFlushIfDue() {
        if (writeBehind == null || bytesSinceEarlyFlush < WriteBehind.INTERVAL_BYTES) {
            return;
        }
        if (earlyFlush != null && (!earlyFlush.isDone() || earlyFlush.isCompletedExceptionally())) {
            return;
        }
        earlyFlush = writeBehind.startFlush(channel);
        bytesSinceEarlyFlush = 0;
    }

    /** Throws the failure of the last early flush, if any, so that the rest of the blob is not written for nothing. */
    private void throwIfEarlyFlushFailed() throws IOException {
        if (earlyFlush != null && earlyFlush.isCompletedExceptionally()) {
            awaitEarlyFlush();
        }
    }

    /** Waits for the last early flush and throws its failure: the final fsync may not report it again. */
    private void awaitEarlyFlush() throws IOException {
        if (earlyFlush == null) {
            return;
        }
        try {
            earlyFlush.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the early flush of " + path);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("The early flush of " + path + " failed: " + cause, cause);
        }
    }

    private StorageException failAndDiscard(IOException cause) {
        StorageException failure = StorageFailures.classify(cause, path);
        LOG.error("Failed to write or fsync the temporary blob {} after {} bytes ({}: {}); deleting it.",
                path, sizeBytes, failure.kind(), cause.toString());
        discard();
        return failure;
    }

    private void requireWriting() {
        if (state != State.WRITING) {
            throw new IllegalStateException("The temporary blob " + path + " is " + state
                    + ", not open for writing");
        }
    }

    /** Hashes and buffers every byte written; closing it is a no-op. */
    private final class HashingOutputStream extends OutputStream {

        private final byte[] single = new byte[1];

        @Override
        public void write(int b) throws IOException {
            single[0] = (byte) b;
            TempBlob.this.write(single, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
            TempBlob.this.write(bytes, offset, length);
        }
    }
}
