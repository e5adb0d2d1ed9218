package org.arca.store.blob.staging;

import org.arca.store.blob.BlobId;

/**
 * The position of one staged blob in its pack.
 *
 * @param id the blob's SHA-256
 * @param entryOffset the offset of the entry header in the pack file, in bytes
 * @param length the number of the blob's bytes, which follow the entry header
 */
record StagedLocation(BlobId id, long entryOffset, int length) {

    long dataOffset() {
        return entryOffset + StagingFormat.ENTRY_HEADER_SIZE;
    }

    long endOffset() {
        return dataOffset() + length;
    }
}
