package org.arca.dicom.association;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Association Request/Reject/Release timer of PS3.8 section 9.1.5. One daemon thread serves
 * the timers of all associations of the JVM; an expiry only posts an event to its association.
 */
final class ArtimTimer {
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "dicom-artim");
        thread.setDaemon(true);
        return thread;
    });

    private final long timeoutMs;
    private final Runnable onExpiry;
    private ScheduledFuture<?> pending;

    ArtimTimer(long timeoutMs, Runnable onExpiry) {
        this.timeoutMs = timeoutMs;
        this.onExpiry = onExpiry;
    }

    /** Starts the timer, or restarts it if it runs. */
    synchronized void start() {
        stop();
        pending = SCHEDULER.schedule(onExpiry, timeoutMs, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
