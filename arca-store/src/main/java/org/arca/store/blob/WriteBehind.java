package org.arca.store.blob;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Early flushes of large temporary blobs while they are still being written.
 *
 * <p>Without them, the page cache keeps all of a 60 MB mammogram dirty until its final fsync, which
 * then writes all of it while the sender waits for the response. A flush after every
 * {@link #INTERVAL_BYTES} written lets the disk write while the network receives, so the final
 * fsync only writes the tail. An early flush is not a durability point: the blob is durable only
 * when {@link TempBlob#finishAndFsync()} returns, and a failed early flush fails that call too,
 * because Linux may report a writeback error to only one fsync of the file.
 *
 * <p>Thread-safe. The threads are daemons, so a store that is never closed does not keep the JVM
 * alive.
 */
final class WriteBehind implements AutoCloseable {

    /** Bytes written to a temporary blob after which its next early flush starts. */
    static final long INTERVAL_BYTES = 8L << 20;

    /** Two threads, so that two large ingests flush their files in parallel. */
    private static final int THREADS = 2;

    private final ExecutorService executor;

    WriteBehind() {
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "blob write-behind " + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts an fdatasync of {@code channel} on a write-behind thread. The future fails with the
     * flush's IOException (wrapped in a CompletionException). It completes normally if the channel
     * was closed first because the blob was discarded, and at once if this write-behind is closed.
     */
    CompletableFuture<Void> startFlush(FileChannel channel) {
        try {
            return CompletableFuture.runAsync(() -> forceUnlessClosed(channel), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static void forceUnlessClosed(FileChannel channel) {
        try {
            channel.force(false);
        } catch (ClosedChannelException e) {
            // The blob was discarded while its flush waited or ran.
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /**
     * Stops the threads once the flushes already started have ended. It does not interrupt them,
     * because an interrupt during {@code force} closes the channel of a blob that may still be written.
     */
    @Override
    public void close() {
        executor.shutdown();
    }
}
