package org.arca.store.ingest;

/**
 * What the sender told Arca about one SOP Instance before its dataset bytes arrive.
 *
 * @param sopClassUid the Affected SOP Class UID of the C-STORE request
 * @param sopInstanceUid the Affected SOP Instance UID of the C-STORE request
 * @param transferSyntaxUid the transfer syntax of the dataset bytes as received
 * @param sourceAeTitle the calling AE title of the association, kept as Source AE Title
 */
public record IngestRequest(
        String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String sourceAeTitle) {
}
