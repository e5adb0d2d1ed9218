package org.arca.store.reconcile;

import java.util.List;
import java.util.Map;

/**
 * The result of one reconciliation, as {@link LastReconcile} persists it in JSON.
 *
 * <p>Format history ({@code formatVersion}): 1 - first version.
 *
 * @param magic always {@link #MAGIC}, so that a reader can tell this file from any other JSON
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param startedAtMillis when the run started, epoch milliseconds
 * @param finishedAtMillis when it finished, epoch milliseconds
 * @param repair whether the run repaired what it could
 * @param journalRecords journal records read
 * @param storedVersions INSTANCE_STORED records among them
 * @param indexRows instance version rows read from the index
 * @param blobs blob files listed in the blob store
 * @param found mismatches found, by kind
 * @param remaining mismatches still there after the run, by kind (equal to found without repair)
 * @param mismatches the first mismatches found, at most {@link ReconcileOptions#maxListedMismatches()}
 * @param truncated true when more mismatches were found than are listed
 * @param indexRebuildNeeded true when some remaining mismatches need the index rebuilt from the journal
 */
public record ReconcileReport(String magic, int formatVersion, long startedAtMillis, long finishedAtMillis,
        boolean repair, long journalRecords, long storedVersions, long indexRows, long blobs,
        Map<MismatchKind, Long> found, Map<MismatchKind, Long> remaining, List<Mismatch> mismatches,
        boolean truncated, boolean indexRebuildNeeded) {

    public static final String MAGIC = "arca-reconcile-report";
    public static final int FORMAT_VERSION = 1;

    /** Returns true when no mismatch remains. */
    public boolean isClean() {
        return remaining.values().stream().allMatch(count -> count == 0);
    }

    public long totalFound() {
        return found.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalRemaining() {
        return remaining.values().stream().mapToLong(Long::longValue).sum();
    }
}
