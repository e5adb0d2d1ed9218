package org.arca.store.index;

/**
 * One stored version of a SOP Instance as stored in the index.
 *
 * @param current true when this is the instance's current (highest) version
 */
public record InstanceVersion(
        String studyInstanceUid,
        String seriesInstanceUid,
        String sopInstanceUid,
        int version,
        boolean current,
        String sopClassUid,
        String instanceNumber,
        String transferSyntaxUid,
        String specificCharacterSet,
        String blobSha256,
        long sizeBytes,
        long journalSequence,
        long receivedAtMillis,
        String sourceAeTitle) {
}
