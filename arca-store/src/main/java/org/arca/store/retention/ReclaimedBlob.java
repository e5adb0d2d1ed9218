package org.arca.store.retention;

/**
 * A blob whose bytes retention reclaimed, as the index contains it.
 *
 * @param blobSha256 the SHA-256 of the reclaimed bytes, 64 lower-case hex digits
 * @param sizeBytes how many bytes were freed
 * @param reason why, such as "deleted before the 30-day CDP window"
 * @param reclaimedAtMillis when, epoch milliseconds of the BLOB_RECLAIMED record
 * @param journalSequence the sequence of the BLOB_RECLAIMED record
 */
public record ReclaimedBlob(String blobSha256, long sizeBytes, String reason, long reclaimedAtMillis,
        long journalSequence) {
}
