package org.arca.store.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of recovery at {@link Journal#open}: the defects found and the changes made.
 *
 * @param segmentCount the number of segments after recovery
 * @param recordCount the number of good records after recovery
 * @param lastSequence the sequence of the last good record, 0 if the journal is empty
 * @param cuts every tail that was cut or segment that was removed, in the order done
 * @param quarantined the copies that were written to the quarantine directory
 */
public record RecoveryReport(int segmentCount, long recordCount, long lastSequence, List<Cut> cuts,
        List<Path> quarantined) {

    public RecoveryReport {
        cuts = List.copyOf(cuts);
        quarantined = List.copyOf(quarantined);
    }

    /** Returns whether recovery changed nothing on disk. */
    public boolean isClean() {
        return cuts.isEmpty() && quarantined.isEmpty();
    }

    /**
     * One truncation done by recovery.
     *
     * @param segment the segment file
     * @param offset where it was cut (the new file size), or 0 if the whole file was removed
     * @param bytesCut the number of bytes removed
     * @param reason the defect found at the offset
     * @param removedSegment whether the whole file was deleted
     */
    public record Cut(Path segment, long offset, long bytesCut, JournalDefect reason, boolean removedSegment) {
    }
}
