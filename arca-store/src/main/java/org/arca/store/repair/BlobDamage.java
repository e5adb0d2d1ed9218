package org.arca.store.repair;

import java.io.IOException;
import org.arca.store.JournalPayloadJson;

/**
 * A blob found missing or not matching its SHA-256: the payload of a
 * {@code BLOB_DAMAGE_DETECTED} journal record, in UTF-8 JSON with a {@code formatVersion}.
 * Version history: 1 - first version.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param sopInstanceUid the SOP Instance whose stored version is in the blob
 * @param version that version's number
 * @param blobSha256 the SHA-256 the blob should have
 * @param path the blob file that failed
 * @param problem what was found, such as "missing" or the SHA-256 the bytes have
 * @param detectedBy the operation that found it, such as "C-MOVE" or "C-GET"
 * @param detectedAtMillis when, in epoch milliseconds
 */
public record BlobDamage(int formatVersion, String sopInstanceUid, int version, String blobSha256, String path,
        String problem, String detectedBy, long detectedAtMillis) {

    public static final int FORMAT_VERSION = 1;

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "blob-damage");
    }

    /** Decodes a payload; rejects a format version this Arca does not know. */
    public static BlobDamage fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        BlobDamage damage = JournalPayloadJson.decode(payload, BlobDamage.class);
        JournalPayloadJson.checkFormatVersion(damage.formatVersion(), FORMAT_VERSION, journalSequence, "blob-damage");
        return damage;
    }
}
