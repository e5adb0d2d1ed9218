package org.arca.store.index;

/**
 * Where a SOP Instance sits in the hierarchy and whether it is deleted, for deletes, undeletes
 * and restores. The series is the series of the instance's current version.
 *
 * @param currentVersion the number of the instance's current version
 * @param deletedSequence the journal sequence of the record that deleted the instance, 0 while visible
 */
public record InstanceState(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
        int currentVersion, long deletedSequence) {

    public boolean deleted() {
        return deletedSequence > 0;
    }
}
