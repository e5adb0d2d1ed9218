package org.arca.store.blob;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;

import org.arca.store.blob.staging.StagingArea;

/**
 * A blob being received whose size is not known in advance. Its bytes stay in a heap buffer of
 * {@link StagingArea#MAX_STAGED_BLOB_BYTES} while they fit, hashed with SHA-256 as they arrive; the
 * first byte beyond moves everything into a {@link TempBlob} file, which takes the rest. Publish it
 * with {@link BlobStore#publishAndFsync(PendingBlob)}: a blob still in the heap is staged (one shared
 * force), a larger one is published from its file.
 *
 * <p>Buffers come from a small pool, so that ingesting many small instances allocates no new
 * buffer for each. {@link #close()} discards an unpublished blob and returns its buffer.
 *
 * <p>Thread-safety: not thread-safe; one thread writes and publishes a pending blob.
 */
public final class PendingBlob implements AutoCloseable {

    private static final int POOLED_BUFFERS = 16;
    private static final ArrayBlockingQueue<byte[]> BUFFER_POOL = new ArrayBlockingQueue<>(POOLED_BUFFERS);

    private final BlobStore store;
    private final MessageDigest sha256 = BlobStore.newSha256();
    private final OutputStream outputStream = new Sink();
    private byte[] buffer;
    private int count;
    private TempBlob spilled;
    private boolean done;
    private boolean wroteNewBytes;

    PendingBlob(BlobStore store) {
        this.store = store;
    }

    /** Returns the stream to write the blob's bytes to; closing it does not publish or discard. */
    public OutputStream outputStream() {
        return outputStream;
    }

    /** Returns the number of bytes written so far. */
    public long size() {
        return spilled != null ? spilled.size() : count;
    }

    boolean isSpilled() {
        return spilled != null;
    }

    TempBlob spilled() {
        return spilled;
    }

    byte[] bytes() {
        return buffer == null ? new byte[0] : buffer;
    }

    int length() {
        return count;
    }

    byte[] digest() {
        return sha256.digest();
    }

    /**
     * Returns whether the publish wrote these bytes to the store (a new file or a staged entry), as
     * opposed to finding an intact copy there already. False before the publish.
     */
    public boolean wroteNewBytes() {
        return wroteNewBytes;
    }

    void recordNewBytes(boolean newBytes) {
        wroteNewBytes = newBytes;
    }

    /** Deletes the spilled file if there is one and returns the buffer. Does nothing the second time. */
    public void discard() {
        if (done) {
            return;
        }
        done = true;
        if (spilled != null) {
            spilled.discard();
        }
        releaseBuffer();
    }

    /** Marks the blob published: a spilled file now has its name, the buffer goes back to the pool. */
    void published() {
        done = true;
        releaseBuffer();
    }

    @Override
    public void close() {
        discard();
    }

    private void write(byte[] bytes, int offset, int length) throws IOException {
        if (done) {
            throw new IllegalStateException("The pending blob was published or discarded already");
        }
        if (spilled != null) {
            spilled.outputStream().write(bytes, offset, length);
            return;
        }
        if ((long) count + length > StagingArea.MAX_STAGED_BLOB_BYTES) {
            spill();
            spilled.outputStream().write(bytes, offset, length);
            return;
        }
        if (buffer == null) {
            buffer = takeBuffer();
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        sha256.update(bytes, offset, length);
        count += length;
    }

    /** Moves the buffered bytes into a temporary blob file, which takes every later byte. */
    private void spill() throws IOException {
        spilled = store.createTemp();
        if (count > 0) {
            spilled.outputStream().write(buffer, 0, count);
        }
        releaseBuffer();
    }

    private void releaseBuffer() {
        if (buffer != null) {
            BUFFER_POOL.offer(buffer);
            buffer = null;
        }
    }

    private static byte[] takeBuffer() {
        byte[] pooled = BUFFER_POOL.poll();
        return pooled != null ? pooled : new byte[StagingArea.MAX_STAGED_BLOB_BYTES];
    }

    private final class Sink extends OutputStream {

        private final byte[] single = new byte[1];

        @Override
        public void write(int b) throws IOException {
            single[0] = (byte) b;
            PendingBlob.this.write(single, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            PendingBlob.this.write(bytes, offset, length);
        }
    }
}
