package org.arca.server.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.arca.store.reconcile.LastReconcile;
import org.arca.store.reconcile.ReconcileReport;

/**
 * The last reconciliation of journal, index and blob store, summarised from the report that
 * {@code arca reconcile} and the node's scheduled runs write to {@code <data>/reconcile/last.json}.
 *
 * @param finished when the run finished, as an ISO-8601 instant, or null when the report is unreadable
 * @param repair whether the run repaired what it could
 * @param mismatchesFound mismatches found, over all kinds
 * @param mismatchesRemaining mismatches still there after the run
 * @param indexRebuildNeeded whether a remaining mismatch needs the index rebuilt from the journal
 * @param error why the report could not be read, or null
 */
public record ReconcileSummary(String finished, boolean repair, long mismatchesFound, long mismatchesRemaining,
        boolean indexRebuildNeeded, String error) {

    /** Reads the summary of the last run; null when no run has written a report. */
    static ReconcileSummary readOrNull(Path dataDirectory) {
        Optional<ReconcileReport> report;
        try {
            report = LastReconcile.read(dataDirectory);
        } catch (IOException e) {
            return new ReconcileSummary(null, false, 0, 0, false, "Reading "
                    + LastReconcile.pathOf(dataDirectory) + " failed: " + e.getMessage());
        }
        return report.map(r -> new ReconcileSummary(Instant.ofEpochMilli(r.finishedAtMillis()).toString(),
                r.repair(), r.totalFound(), r.totalRemaining(), r.indexRebuildNeeded(), null)).orElse(null);
    }
}
