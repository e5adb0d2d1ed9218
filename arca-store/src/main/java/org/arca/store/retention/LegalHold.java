package org.arca.store.retention;

/**
 * A study under legal hold, as the index contains it.
 *
 * @param studyInstanceUid the held study
 * @param user who set the hold
 * @param reason why, as given by that user
 * @param heldAtMillis when the hold was set, epoch milliseconds of its journal record
 * @param journalSequence the sequence of the LEGAL_HOLD_SET record
 */
public record LegalHold(String studyInstanceUid, String user, String reason, long heldAtMillis,
        long journalSequence) {
}
