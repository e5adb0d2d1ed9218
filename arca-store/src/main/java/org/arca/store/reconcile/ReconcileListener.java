package org.arca.store.reconcile;

/** Receives each mismatch as a reconciliation finds or repairs it, so that long runs show progress. */
@FunctionalInterface
public interface ReconcileListener {

    /** Receives a mismatch. After a repair attempt, {@link Mismatch#repair()} describes what was done. */
    void mismatch(Mismatch mismatch);

    ReconcileListener NONE = mismatch -> {
    };
}
