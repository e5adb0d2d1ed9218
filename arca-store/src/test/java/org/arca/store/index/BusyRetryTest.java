package org.arca.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BusyRetryTest {

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_BUSY_SNAPSHOT = 517;
    private static final int SQLITE_CONSTRAINT = 19;

    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();

    @Test
    void busyRunsAgainUntilSuccess() throws Exception {
        String result = BusyRetry.run("test", () -> {
            if (runs.incrementAndGet() < 3) {
                throw new SQLException("database is locked", "", runs.get() == 1 ? SQLITE_BUSY : SQLITE_BUSY_SNAPSHOT);
            }
            return "done";
        }, failure -> rollbacks.incrementAndGet());

        assertThat(result).isEqualTo("done");
        assertThat(runs).hasValue(3);
        assertThat(rollbacks).hasValue(2);
    }

    @Test
    void otherErrorFailsAtOnce() {
        assertThatThrownBy(() -> BusyRetry.run("test", () -> {
            runs.incrementAndGet();
            throw new SQLException("constraint failed", "", SQLITE_CONSTRAINT);
        }, failure -> rollbacks.incrementAndGet())).hasMessage("constraint failed");

        assertThat(runs).hasValue(1);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void busyEveryTimeFailsAfterLastAttempt() {
        assertThatThrownBy(() -> BusyRetry.run("test", () -> {
            runs.incrementAndGet();
            throw new SQLException("database is locked", "", SQLITE_BUSY);
        }, failure -> rollbacks.incrementAndGet())).hasMessage("database is locked");

        assertThat(runs).hasValue(BusyRetry.ATTEMPTS);
        assertThat(rollbacks).hasValue(BusyRetry.ATTEMPTS - 1);
    }
}
