package org.arca.store.retention;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one retention run.
 *
 * @param dryRun true when nothing was written or removed
 * @param windowStart the start of the CDP window at the time of the run
 * @param reclaimed the blobs reclaimed, or that a dry run would reclaim
 * @param keptForWindow deleted blobs kept because they were deleted or named inside the window
 * @param keptForLegalHold deleted blobs kept because their study is under legal hold
 * @param keptForVisibleVersion blobs of deleted instances that a visible instance version also uses
 * @param missing deleted blobs not reclaimed because their file is already missing (damage, logged)
 * @param stagedFilesRemoved files of earlier reclaims removed from the staging directory in this run
 * @param checkpoint the checkpoint written in this run, or null
 * @param compaction the journal segments removed in this run (or that a dry run would remove), or null
 */
public record RetentionReport(boolean dryRun, Instant windowStart, List<ReclaimCandidate> reclaimed,
        int keptForWindow, int keptForLegalHold, int keptForVisibleVersion, int missing, int stagedFilesRemoved,
        CheckpointManifest checkpoint, JournalCompactedEvent compaction) {

    public RetentionReport {
        reclaimed = List.copyOf(reclaimed);
    }

    /** Returns the bytes of all reclaimed blobs. */
    public long reclaimedBytes() {
        return reclaimed.stream().mapToLong(ReclaimCandidate::sizeBytes).sum();
    }
}
