package org.arca.store.reconcile;

import java.time.Duration;

/**
 * The settings of one reconciliation run.
 *
 * @param repair whether to repair what the journal can fix and quarantine orphaned blobs
 * @param quarantineGrace how long a quarantined orphan is kept before it is deleted
 * @param orphanMinAge how old an unreferenced blob must be before it counts as orphaned. A running
 *     node publishes each blob a moment before it journals the record, so a young unreferenced
 *     blob may belong to an ingest in progress. Zero when no node runs.
 * @param maxListedMismatches how many mismatches the report lists (all are counted)
 * @param nodeRunning true when a node ingests meanwhile. The index may then lag behind the journal
 *     by the records it is applying, so a record after the index's last applied sequence counts as
 *     lag, not as a missing row.
 */
public record ReconcileOptions(boolean repair, Duration quarantineGrace, Duration orphanMinAge,
        int maxListedMismatches, boolean nodeRunning) {

    public static final Duration DEFAULT_QUARANTINE_GRACE = Duration.ofDays(7);
    /** Far above the milliseconds between publishing a blob and forcing its journal record. */
    public static final Duration DEFAULT_ORPHAN_MIN_AGE_LIVE = Duration.ofHours(1);
    public static final int DEFAULT_MAX_LISTED = 1000;

    public ReconcileOptions {
        if (quarantineGrace.isNegative() || orphanMinAge.isNegative()) {
            throw new IllegalArgumentException("Reconcile durations cannot be negative: quarantine grace "
                    + quarantineGrace + ", orphan minimum age " + orphanMinAge + ".");
        }
        if (maxListedMismatches < 0) {
            throw new IllegalArgumentException("maxListedMismatches is " + maxListedMismatches
                    + "; it must be 0 or more.");
        }
    }

    /** Options for a run while no node writes to the data directory, as {@code arca reconcile} runs. */
    public static ReconcileOptions offline(boolean repair) {
        return new ReconcileOptions(repair, DEFAULT_QUARANTINE_GRACE, Duration.ZERO, DEFAULT_MAX_LISTED, false);
    }

    /** Options for a run inside a node that keeps ingesting. */
    public static ReconcileOptions live(boolean repair, Duration quarantineGrace) {
        return new ReconcileOptions(repair, quarantineGrace, DEFAULT_ORPHAN_MIN_AGE_LIVE, DEFAULT_MAX_LISTED, true);
    }

    public ReconcileOptions withQuarantineGrace(Duration grace) {
        return new ReconcileOptions(repair, grace, orphanMinAge, maxListedMismatches, nodeRunning);
    }
}
