package org.arca.store.blob.staging;

import org.arca.store.blob.BlobId;

/**
 * A staged blob whose bytes no longer hash to its id.
 *
 * @param id the blob's id, the SHA-256 of its bytes when they were staged
 * @param where the pack file and the offset of its entry, for messages
 * @param problem what was found, such as the SHA-256 that the bytes have now
 */
public record StagedDamage(BlobId id, String where, String problem) {

    static StagedDamage hashMismatch(BlobId id, String where, BlobId actual) {
        return new StagedDamage(id, where, "the staged bytes hash to " + actual);
    }
}
