package org.arca.store.cdp;

import java.time.Instant;

/**
 * One change to a study as the journal records it.
 *
 * @param journalSequence the sequence of the record
 * @param time when the record was written
 * @param kind STORED, DELETED, UNDELETED, UPDATED or RESTORED
 * @param user who made the change; the calling AE title for stores
 * @param reason the reason given, or empty
 * @param description what changed, for example "12 instances of series 1.2.3"
 */
public record HistoryEntry(long journalSequence, Instant time, String kind, String user, String reason,
        String description) {
}
