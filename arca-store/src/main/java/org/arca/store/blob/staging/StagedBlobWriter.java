package org.arca.store.blob.staging;

import java.io.IOException;

import org.arca.store.blob.BlobId;

/** Writes a staged blob to its own blob file, durably; the blob store implements it. */
@FunctionalInterface
public interface StagedBlobWriter {

    /**
     * Writes {@code bytes} to the blob file of {@code id} and fsyncs the file and its directory. Does
     * nothing more than fsync when a verified blob file exists already.
     *
     * @throws IOException if the bytes do not hash to {@code id}, or the write or an fsync failed
     */
    void writeFileAndFsync(BlobId id, byte[] bytes) throws IOException;
}
