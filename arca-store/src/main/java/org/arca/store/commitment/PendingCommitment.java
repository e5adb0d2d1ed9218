package org.arca.store.commitment;

/**
 * A journaled Storage Commitment request whose result has not been delivered yet.
 *
 * @param requestSequence the journal sequence of the request record, which identifies the
 *     request even when a requester reuses a Transaction UID
 */
public record PendingCommitment(long requestSequence, CommitmentRequest request) {
}
