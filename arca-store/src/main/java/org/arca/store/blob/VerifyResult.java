package org.arca.store.blob;

/**
 * The outcome of rehashing one blob.
 *
 * @param id the blob that was checked
 * @param status whether the file exists and its bytes match its name
 * @param actual the SHA-256 of the bytes that were read, or null when the file is missing
 * @param sizeBytes the number of bytes read, or -1 when the file is missing
 */
public record VerifyResult(BlobId id, Status status, BlobId actual, long sizeBytes) {

    /** The states a blob can be found in. */
    public enum Status {
        /** The SHA-256 of the file equals its name. */
        OK,
        /** No file exists for the id. */
        MISSING,
        /** The SHA-256 of the file differs from its name: the bytes were altered. */
        CORRUPT
    }

    public boolean isOk() {
        return status == Status.OK;
    }
}
