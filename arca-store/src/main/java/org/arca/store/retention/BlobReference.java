package org.arca.store.retention;

/**
 * One stored version of a SOP Instance whose bytes are in a blob.
 *
 * @param studyInstanceUid the study of the version
 * @param seriesInstanceUid the series of the version
 * @param sopInstanceUid the SOP Instance
 * @param version the version number, 1 for the first
 * @param storedSequence the journal sequence of the INSTANCE_STORED record of the version
 */
public record BlobReference(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid, int version,
        long storedSequence) {
}
