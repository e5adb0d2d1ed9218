package org.arca.server.dicom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verified bytes of one stored Part 10 file, held in memory when small or in a temporary file,
 * and where its dataset starts. Only bytes whose SHA-256 matched the index are ever in a buffer.
 * {@link #close()} deletes the temporary file.
 *
 * @param datasetOffset the number of bytes of preamble and File Meta Information before the dataset
 * @param transferSyntaxUid the Transfer Syntax UID of the File Meta Information
 */
record RetrieveBuffer(byte[] bytes, Path file, long datasetOffset, String transferSyntaxUid)
        implements AutoCloseable {

    /** Opens the dataset: the stored bytes after the File Meta Information, exactly as received. */
    InputStream openDataset() throws IOException {
        if (bytes != null) {
            return new ByteArrayInputStream(bytes, (int) datasetOffset, bytes.length - (int) datasetOffset);
        }
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(datasetOffset);
        return in;
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
