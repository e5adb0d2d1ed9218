package org.arca.store.reconcile;

import java.io.IOException;
import java.util.Map;
import org.arca.store.JournalPayloadJson;

/**
 * The small JSON file {@code blobs/quarantine/<sha256>.json} beside each quarantined orphan: when
 * and why it was moved there, and what the blob contains. Format history ({@code formatVersion}):
 * 1 - first version; 2 - adds {@code identity}.
 *
 * @param magic always {@link #MAGIC}
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param blobSha256 the quarantined blob
 * @param sizeBytes its size
 * @param originalPath where it was in the blob store
 * @param reason why it was quarantined
 * @param quarantinedAtMillis when, epoch milliseconds; the grace period counts from here
 * @param identity the patient, study, series and SOP Instance the blob holds, read from its Part 10
 *     header and dataset, so that an operator can tell what it is before the grace period ends; null
 *     in version 1 or when the blob does not parse
 */
public record QuarantineManifest(String magic, int formatVersion, String blobSha256, long sizeBytes,
        String originalPath, String reason, long quarantinedAtMillis, Map<String, String> identity) {

    public static final String MAGIC = "arca-quarantine-manifest";
    public static final int FORMAT_VERSION = 2;

    /** A manifest is a few hundred bytes; a larger file is not one. */
    static final long MAX_SIZE_BYTES = 64 * 1024;

    byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "quarantine manifest");
    }

    /** Decodes a manifest; rejects another magic value or an unknown format version. */
    static QuarantineManifest fromJsonBytes(byte[] json, String fileName) throws IOException {
        QuarantineManifest manifest = JournalPayloadJson.decode(json, QuarantineManifest.class);
        if (!MAGIC.equals(manifest.magic()) || manifest.formatVersion() < 1
                || manifest.formatVersion() > FORMAT_VERSION) {
            throw new IOException("Quarantine manifest " + fileName + " has magic '" + manifest.magic()
                    + "' and format version " + manifest.formatVersion() + ", but this Arca reads only '" + MAGIC
                    + "' versions 1 to " + FORMAT_VERSION + "; upgrade Arca or move the file aside.");
        }
        return manifest;
    }
}
