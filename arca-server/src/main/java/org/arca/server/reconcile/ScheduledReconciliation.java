package org.arca.server.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arca.server.admin.ReconcileStarter;
import org.arca.server.config.ArcaConfig;
import org.arca.store.DataDirectory;
import org.arca.store.reconcile.Mismatch;
import org.arca.store.reconcile.ReconcileOptions;
import org.arca.store.reconcile.ReconcileReport;
import org.arca.store.reconcile.Reconciler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reconciliation every {@code reconcile.intervalHours} on one daemon thread, the first
 * one interval after start, while the node keeps ingesting, and at once when an operator asks
 * ({@link #startNow}). Each run writes {@code <data>/reconcile/last.json}. Report-only unless
 * {@code reconcile.repair} is true.
 *
 * <p>Thread-safety: {@link #runOnce()} and {@link #startNow} may be called from any thread; runs
 * are serialized by the {@link Reconciler}, and a scheduled run that finds one in progress is
 * skipped.
 */
public final class ScheduledReconciliation implements AutoCloseable, ReconcileStarter {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledReconciliation.class);
    private static final long STOP_WAIT_SECONDS = 10;

    private final Reconciler reconciler;
    private final ScheduledExecutorService executor;
    private final String dataDirectory;
    private final boolean scheduled;
    /** True from when a run is started or queued until it ends. */
    private final AtomicBoolean running = new AtomicBoolean();

    private ScheduledReconciliation(Reconciler reconciler, ScheduledExecutorService executor, String dataDirectory,
            boolean scheduled) {
        this.reconciler = reconciler;
        this.executor = executor;
        this.dataDirectory = dataDirectory;
        this.scheduled = scheduled;
    }

    /** Schedules the runs; with {@code intervalHours} 0, schedules none. */
    public static ScheduledReconciliation start(DataDirectory data, ArcaConfig.Reconcile config, Clock clock) {
        ReconcileOptions options = ReconcileOptions.live(config.repair(),
                Duration.ofDays(config.quarantineGraceDays()));
        Reconciler reconciler = new Reconciler(data, options, clock);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "arca-reconcile");
            thread.setDaemon(true);
            return thread;
        });
        boolean periodic = config.intervalHours() > 0;
        ScheduledReconciliation scheduled = new ScheduledReconciliation(reconciler, executor, data.root().toString(),
                periodic);
        if (!periodic) {
            LOG.info("Scheduled reconciliation of {} is off (reconcile.intervalHours is 0); 'arca reconcile --live' "
                    + "starts one.", data.root());
            return scheduled;
        }
        executor.scheduleWithFixedDelay(scheduled::runScheduled, config.intervalHours(), config.intervalHours(),
                TimeUnit.HOURS);
        LOG.info("Scheduled a reconciliation of {} every {} hours ({}).", data.root(), config.intervalHours(),
                config.repair() ? "with repair" : "report only");
        return scheduled;
    }

    /** Returns true when runs are scheduled, false when {@code reconcile.intervalHours} is 0. */
    public boolean isScheduled() {
        return scheduled;
    }

    @Override
    public boolean startNow(String user) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        LOG.info("Reconciliation of {} started now at the request of {}.", dataDirectory, user);
        try {
            executor.execute(this::runAndClear);
        } catch (RejectedExecutionException e) {
            running.set(false);
            throw new IllegalStateException("The node is stopping, so no reconciliation can start", e);
        }
        return true;
    }

    /** Runs unless an operator's run is in progress, which covers this interval. */
    private void runScheduled() {
        if (!running.compareAndSet(false, true)) {
            LOG.info("Skipped the scheduled reconciliation of {}: one is running.", dataDirectory);
            return;
        }
        runAndClear();
    }

    private void runAndClear() {
        try {
            runOnce();
        } finally {
            running.set(false);
        }
    }

    /** Runs one reconciliation now; logs its failure instead of throwing, so that the schedule goes on. */
    public ReconcileReport runOnce() {
        try {
            ReconcileReport report = reconciler.run(this::logMismatch);
            if (!report.isClean()) {
                LOG.error("Reconciliation of {} found {} mismatches that remain; see {} and run 'arca reconcile' "
                        + "with the node stopped for details.", dataDirectory, report.totalRemaining(),
                        "reconcile/last.json");
            }
            return report;
        } catch (Exception e) {
            LOG.error("Reconciliation of {} failed: {}. The next run is in one interval.", dataDirectory,
                    e.toString(), e);
            return null;
        }
    }

    private void logMismatch(Mismatch mismatch) {
        LOG.warn("Reconciliation found {}: {}", mismatch.kind(), mismatch.describe());
    }

    /** Stops the schedule; a run in progress is interrupted and waited for up to {@value #STOP_WAIT_SECONDS} s. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                // NOTE: a run does not check for interruption; it fails once the data directory is closed.
                LOG.warn("A reconciliation of {} was still running {} s after the stop; it ends when the data "
                        + "directory closes.", dataDirectory, STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
