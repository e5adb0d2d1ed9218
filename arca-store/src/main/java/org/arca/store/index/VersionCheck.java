package org.arca.store.index;

import java.util.Optional;

/**
 * The stored versions of one SOP Instance that an ingest reads in one transaction.
 *
 * @param sameBytes the oldest version stored with the received blob, if any: the received copy is a duplicate
 * @param currentIncludingDeleted the current version, even of a deleted instance, which a new version supersedes
 * @param nextVersion the number a new version gets: one more than the highest stored, or 1
 */
public record VersionCheck(Optional<InstanceVersion> sameBytes, Optional<InstanceVersion> currentIncludingDeleted,
        int nextVersion) {
}
