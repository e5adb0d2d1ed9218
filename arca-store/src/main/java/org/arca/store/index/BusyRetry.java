package org.arca.store.index;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a write transaction again when SQLite reports SQLITE_BUSY. In WAL mode a write can fail
 * with it at once, without waiting for the busy timeout. A write whose read snapshot is no longer
 * the latest gets SQLITE_BUSY_SNAPSHOT, and the index's concurrency test, with readers and the
 * writer busy at once, saw a plain SQLITE_BUSY under load. Rolling back and running the
 * transaction again is the remedy for both.
 *
 * <p>NOTE: what made that test's write busy at once is not known. The retry covers it without
 * explaining it, and each retry logs a line.
 */
final class BusyRetry {

    private static final Logger LOG = LoggerFactory.getLogger(BusyRetry.class);

    /** How often a transaction runs at most. */
    static final int ATTEMPTS = 5;

    /** The pause before the second attempt, doubled before each later one, in milliseconds. */
    private static final long FIRST_PAUSE_MILLIS = 2;

    /** The SQLITE_BUSY result code. Extended codes such as SQLITE_BUSY_SNAPSHOT keep it in their low byte. */
    private static final int SQLITE_BUSY = 5;

    /** One run of the transaction, including its commit. */
    @FunctionalInterface
    interface Transaction<T> {
        T run() throws SQLException;
    }

    /** Undoes a failed run, so that the next one starts from the committed state. */
    @FunctionalInterface
    interface Rollback {
        void run(SQLException failure);
    }

    private BusyRetry() {
    }

    /**
     * Runs {@code transaction} until it succeeds, fails with another error, or has run
     * {@link #ATTEMPTS} times; {@code rollback} runs after each busy failure that is retried.
     *
     * @param description what the transaction does, for the log line of a retry
     */
    static <T> T run(String description, Transaction<T> transaction, Rollback rollback) throws SQLException {
        long pauseMillis = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.run();
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !isBusy(e)) {
                    throw e;
                }
                rollback.run(e);
                LOG.info("SQLite reported the index busy while it tried to {} ({}); attempt {} of {} follows in {} ms.",
                        description, e.getMessage(), attempt + 1, ATTEMPTS, pauseMillis);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                pauseMillis *= 2;
            }
        }
    }

    static boolean isBusy(SQLException e) {
        return (e.getErrorCode() & 0xFF) == SQLITE_BUSY;
    }
}
