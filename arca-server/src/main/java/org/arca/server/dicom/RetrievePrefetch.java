package org.arca.server.dicom;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.arca.store.index.InstanceVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and verifies the blob of the next sub-operation of one retrieve on a worker thread, while
 * the association's thread sends the current one and waits for its C-STORE response. At most one
 * read is in flight, so a retrieve has at most two {@link RetrieveBuffer}s: the one being sent
 * and the one being read.
 *
 * <p>Buffer ownership: {@link #take} hands its buffer to the caller, who closes it. {@link #close()}
 * waits for a read that was started but never taken, closes its buffer, and stops the worker
 * thread. Not thread-safe: only the thread that runs the retrieve calls it.
 */
final class RetrievePrefetch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetrievePrefetch.class);

    private final RetrieveBlobReader reader;
    private final RetrieveArrays arrays = new RetrieveArrays();
    private final String threadName;
    private ExecutorService worker;
    private InstanceVersion readingInstance;
    private Future<Read> reading;

    /** @param threadName the name of the worker thread, such as the association name and "retrieve reader" */
    RetrievePrefetch(RetrieveBlobReader reader, String threadName) {
        this.reader = reader;
        this.threadName = threadName;
    }

    /** Starts reading the blob of {@code instance} on the worker thread. The caller then calls {@link #take}. */
    void start(InstanceVersion instance) {
        if (reading != null) {
            throw new IllegalStateException("The blob of SOP Instance " + readingInstance.sopInstanceUid()
                    + " is still being read, so reading SOP Instance " + instance.sopInstanceUid() + " cannot start");
        }
        reading = worker().submit(() -> Read.of(reader, instance, arrays));
        readingInstance = instance;
    }

    /**
     * Returns the verified blob of {@code instance}: the result of the read that {@link #start}
     * began, or of a read on the calling thread when none began. The caller closes the buffer.
     *
     * @throws RetrieveBlobException if the blob is missing, unreadable, corrupt or not a Part 10 file
     */
    RetrieveBuffer take(InstanceVersion instance) throws RetrieveBlobException {
        if (reading == null) {
            return reader.readVerified(instance, arrays);
        }
        if (readingInstance != instance) {
            throw new IllegalStateException("The blob of SOP Instance " + readingInstance.sopInstanceUid()
                    + " is being read, but SOP Instance " + instance.sopInstanceUid() + " was requested");
        }
        Future<Read> read = reading;
        reading = null;
        readingInstance = null;
        return awaitUninterruptibly(read).bufferOrThrow();
    }

    /** Closes the buffer of a read that was started but not taken, then stops the worker thread. */
    @Override
    public void close() {
        try {
            discardReading();
        } finally {
            if (worker != null) {
                worker.shutdown();
            }
        }
    }

    private void discardReading() {
        if (reading == null) {
            return;
        }
        Future<Read> read = reading;
        InstanceVersion instance = readingInstance;
        reading = null;
        readingInstance = null;
        RetrieveBuffer buffer;
        try {
            buffer = awaitUninterruptibly(read).buffer();
        } catch (RuntimeException e) {
            LOG.warn("Reading the blob of SOP Instance {} ahead failed after the retrieve stopped needing it: {}",
                    instance.sopInstanceUid(), e.toString());
            return;
        }
        if (buffer == null) {
            return;
        }
        try {
            buffer.close();
        } catch (IOException e) {
            LOG.warn("Deleting the temporary copy of SOP Instance {}, read ahead but not sent, failed: {}",
                    instance.sopInstanceUid(), e.toString());
        }
    }

    /**
     * Waits for the read to end, even when this thread is interrupted, because only its end makes
     * its buffer safe to close. A read takes as long as the disk needs for one blob. The interrupt
     * status is restored before returning.
     */
    private static Read awaitUninterruptibly(Future<Read> read) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return read.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Throws what the worker threw, which is unchecked because {@link Read#of} returns checked failures. */
    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("Reading a blob ahead failed: " + cause, cause);
    }

    private ExecutorService worker() {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, threadName);
                thread.setDaemon(true);
                return thread;
            });
        }
        return worker;
    }

    /** The outcome of one read: a verified buffer or why the blob cannot be sent. */
    private record Read(RetrieveBuffer buffer, RetrieveBlobException failure) {

        static Read of(RetrieveBlobReader reader, InstanceVersion instance, RetrieveArrays arrays) {
            try {
                return new Read(reader.readVerified(instance, arrays), null);
            } catch (RetrieveBlobException e) {
                return new Read(null, e);
            }
        }

        RetrieveBuffer bufferOrThrow() throws RetrieveBlobException {
            if (failure != null) {
                throw failure;
            }
            return buffer;
        }
    }
}
