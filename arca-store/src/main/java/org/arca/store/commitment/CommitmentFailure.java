package org.arca.store.commitment;

/**
 * One item of the Failed SOP Sequence (0008,1198) of a Storage Commitment result.
 *
 * @param sopClassUid the Referenced SOP Class UID as the request named it
 * @param sopInstanceUid the Referenced SOP Instance UID as the request named it
 * @param failureReason the Failure Reason (0008,1197), such as 0x0112 No such object instance
 */
public record CommitmentFailure(String sopClassUid, String sopInstanceUid, int failureReason) {
}
