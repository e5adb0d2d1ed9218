package org.arca.store.blob.staging;

/**
 * A receiver of damaged staged blobs: the layer that maps blobs to SOP Instances records each finding
 * for repair. It is called from a write-out thread, or at open for what the previous run left. An
 * exception it throws is logged and does not stop the write-out.
 */
@FunctionalInterface
public interface StagedDamageListener {

    /** Reports one damaged staged blob. */
    void stagedBlobDamaged(StagedDamage damage);
}
