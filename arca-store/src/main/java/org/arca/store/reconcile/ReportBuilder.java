package org.arca.store.reconcile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Collects counts and the first mismatches while a reconciliation runs; not thread-safe. */
final class ReportBuilder {

    private final long startedAtMillis;
    private final boolean repair;
    private final int maxListed;
    private final ReconcileListener listener;
    private final Map<MismatchKind, Long> found = new EnumMap<>(MismatchKind.class);
    private final Map<MismatchKind, Long> remaining = new EnumMap<>(MismatchKind.class);
    private final List<Mismatch> listed = new ArrayList<>();
    private boolean truncated;
    private boolean indexRebuildNeeded;
    long journalRecords;
    long storedVersions;
    long indexRows;
    long blobs;

    ReportBuilder(long startedAtMillis, boolean repair, int maxListed, ReconcileListener listener) {
        this.startedAtMillis = startedAtMillis;
        this.repair = repair;
        this.maxListed = maxListed;
        this.listener = listener;
        for (MismatchKind kind : MismatchKind.values()) {
            found.put(kind, 0L);
            remaining.put(kind, 0L);
        }
    }

    /** Records a mismatch that is still there: found without repair, or its repair failed or is impossible. */
    void remaining(Mismatch mismatch) {
        record(mismatch);
        remaining.merge(mismatch.kind(), 1L, Long::sum);
    }

    /** Records a mismatch that only an index rebuild from the journal fixes. */
    void remainingUntilIndexRebuild(Mismatch mismatch) {
        indexRebuildNeeded = true;
        remaining(mismatch);
    }

    /** Records a mismatch that the repair fixed. */
    void repaired(Mismatch mismatch) {
        record(mismatch);
    }

    private void record(Mismatch mismatch) {
        found.merge(mismatch.kind(), 1L, Long::sum);
        if (listed.size() < maxListed) {
            listed.add(mismatch);
        } else {
            truncated = true;
        }
        listener.mismatch(mismatch);
    }

    ReconcileReport build(long finishedAtMillis) {
        return new ReconcileReport(ReconcileReport.MAGIC, ReconcileReport.FORMAT_VERSION, startedAtMillis,
                finishedAtMillis, repair, journalRecords, storedVersions, indexRows, blobs,
                Collections.unmodifiableMap(new EnumMap<>(found)),
                Collections.unmodifiableMap(new EnumMap<>(remaining)), List.copyOf(listed), truncated,
                indexRebuildNeeded);
    }
}
