package org.arca.store.rebuild;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of one index rebuild.
 *
 * @param indexFile the file that contains the rebuilt index
 * @param recordsRead journal records applied, including those that leave the index unchanged
 * @param lastSequence the sequence of the last record applied, 0 for an empty journal
 * @param lastRecordTime the timestamp of that record, empty for an empty journal
 * @param duration the wall-clock time of the build, fsyncs included
 */
public record RebuildResult(Path indexFile, long recordsRead, long lastSequence, Optional<Instant> lastRecordTime,
        Duration duration) {

    /** Returns the journal records applied per second, 0 when the build took no measurable time. */
    public double recordsPerSecond() {
        long nanos = duration.toNanos();
        return nanos == 0 ? 0 : recordsRead * 1e9 / nanos;
    }
}
