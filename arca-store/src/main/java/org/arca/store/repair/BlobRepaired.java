package org.arca.store.repair;

import java.io.IOException;
import org.arca.store.JournalPayloadJson;

/**
 * A damaged or lost blob that is intact again: written again from a sender's identical bytes, or
 * found hashing to its SHA-256 again by a repairing reconciliation. The payload of a
 * {@code BLOB_REPAIRED} journal record, in UTF-8 JSON with a {@code formatVersion}.
 * Version history: 1 - first version.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param sopInstanceUid the SOP Instance whose stored version the bytes came with
 * @param version that version's number
 * @param blobSha256 the SHA-256 of the blob, 64 lower-case hex digits
 * @param source where the bytes came from, such as "C-STORE from CT1", or what found them intact
 * @param repairedAtMillis when, in epoch milliseconds
 */
public record BlobRepaired(int formatVersion, String sopInstanceUid, int version, String blobSha256, String source,
        long repairedAtMillis) {

    public static final int FORMAT_VERSION = 1;

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "blob-repaired");
    }

    /** Decodes a payload; rejects a format version this Arca does not know. */
    public static BlobRepaired fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        BlobRepaired repaired = JournalPayloadJson.decode(payload, BlobRepaired.class);
        JournalPayloadJson.checkFormatVersion(repaired.formatVersion(), FORMAT_VERSION, journalSequence,
                "blob-repaired");
        return repaired;
    }
}
