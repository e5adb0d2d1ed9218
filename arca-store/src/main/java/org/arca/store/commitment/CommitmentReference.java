package org.arca.store.commitment;

/**
 * One item of the Referenced SOP Sequence (0008,1199) of a Storage Commitment request.
 *
 * @param sopClassUid the Referenced SOP Class UID (0008,1150)
 * @param sopInstanceUid the Referenced SOP Instance UID (0008,1155)
 */
public record CommitmentReference(String sopClassUid, String sopInstanceUid) {
}
