package org.arca.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.arca.server.config.ArcaConfig;
import org.arca.store.retention.Retention;
import org.arca.store.retention.RetentionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs retention on a fixed delay while the node runs: the first run one interval after start,
 * each later one an interval after the previous finished. A failed run is logged and retried at
 * the next interval. It does not stop the node, because a skipped run only delays reclaiming.
 *
 * <p>Thread-safety: one daemon thread runs the runs; {@link #close} may be called from any thread.
 */
final class RetentionScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionScheduler.class);

    /** How long a stop waits for a run in progress to finish. */
    private static final long STOP_WAIT_SECONDS = 30;

    private final ScheduledExecutorService executor;

    private RetentionScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static RetentionScheduler start(Retention retention, ArcaConfig.Retention config) {
        RetentionPolicy policy = config.policy();
        long intervalMinutes = config.runIntervalMinutes();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "arca-retention");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> runOnce(retention, policy), intervalMinutes, intervalMinutes,
                TimeUnit.MINUTES);
        LOG.info("Retention runs every {} minutes with a CDP window of {} days and a checkpoint every {} hours.",
                intervalMinutes, config.cdpWindowDays(), config.checkpointIntervalHours());
        return new RetentionScheduler(executor);
    }

    private static void runOnce(Retention retention, RetentionPolicy policy) {
        try {
            retention.run(policy, false, false);
        } catch (Exception e) {
            LOG.error("The retention run failed: {}. Nothing is lost: bytes are only reclaimed after their record "
                    + "is durable. The next run retries.", e.toString(), e);
        }
    }

    /** Stops scheduling and waits for a run in progress, then interrupts it. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("A retention run was still going after {} s; interrupting it. Its next run finishes the "
                        + "blobs it had started.", STOP_WAIT_SECONDS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
