package org.arca.store.ingest;

import org.arca.store.blob.BlobId;

/**
 * The outcome of an ingest whose bytes and journal record are durable.
 *
 * @param blobId the content address of the stored Part 10 file
 * @param sizeBytes the size of the stored Part 10 file
 * @param version the version number of the SOP Instance (1 for the first)
 * @param journalSequence the sequence of the journal record, or -1 for a duplicate. For a duplicate of a
 *     deleted instance, it is the sequence of the UNDELETED record that made the instance visible again.
 * @param duplicate true when the same bytes were already stored, so no blob or version was written
 */
public record IngestResult(BlobId blobId, long sizeBytes, int version, long journalSequence, boolean duplicate) {

    public boolean isNewVersion() {
        return !duplicate && version > 1;
    }
}
