package org.arca.store.retention;

import java.io.IOException;
import java.util.List;
import org.arca.store.JournalPayloadJson;
import org.arca.store.ingest.IndexChange;
import org.arca.store.journal.JournalRecord;

/**
 * The payload of a {@code BLOB_RECLAIMED} journal record, in UTF-8 JSON with a
 * {@code formatVersion}. Retention forces this record before it removes the blob file, so a blob
 * that the journal names but the blob store lacks is either named in such a record (reclaimed on
 * purpose) or lost. Version history: 1 - first version.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param blobSha256 the SHA-256 of the reclaimed bytes, 64 lower-case hex digits
 * @param sizeBytes the size of the blob file in bytes
 * @param references every stored version whose bytes were in the blob, all deleted
 * @param reason why the blob was reclaimed, for the operator
 */
public record BlobReclaimedEvent(int formatVersion, String blobSha256, long sizeBytes, List<BlobReference> references,
        String reason) {

    public static final int FORMAT_VERSION = 1;

    public BlobReclaimedEvent {
        references = List.copyOf(references);
    }

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "blob-reclaimed");
    }

    /** Decodes a payload; rejects a format version this Arca does not know. */
    public static BlobReclaimedEvent fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        BlobReclaimedEvent event = JournalPayloadJson.decode(payload, BlobReclaimedEvent.class);
        JournalPayloadJson.checkFormatVersion(event.formatVersion(), FORMAT_VERSION, journalSequence,
                "blob-reclaimed");
        return event;
    }

    /** Returns the index change of the record: a row in {@code reclaimed_blobs}. */
    public static IndexChange indexChangeOf(JournalRecord record) throws IOException {
        BlobReclaimedEvent event = fromJsonBytes(record.payload(), record.sequence());
        return index -> index.applyRecord(record.sequence(), "record the reclaimed blob " + event.blobSha256(),
                writer -> RetentionTables.insertReclaimed(writer, event, record.timestampMillis(),
                        record.sequence()));
    }
}
