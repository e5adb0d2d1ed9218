package org.arca.store.ingest;

import org.arca.store.index.Index;

/**
 * The change that one durable journal record makes to the index. Applying the same change twice
 * leaves the index as after the first time, because the index records the journal sequence
 * it applied and replays may repeat records.
 */
@FunctionalInterface
public interface IndexChange {

    /** The change of a record that leaves the index as it is, such as a Storage Commitment record. */
    IndexChange NONE = index -> {
    };

    /**
     * Applies the change in one index transaction.
     *
     * @throws org.arca.store.index.IndexException when SQLite fails; the index is unchanged
     */
    void applyTo(Index index);
}
