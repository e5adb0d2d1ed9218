package org.arca.server.dicom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verified bytes of one stored Part 10 file, held in memory when small or in a temporary file,
 * and where its dataset starts. Only bytes whose SHA-256 matched the index are ever in a buffer.
 * {@link #close()} deletes the temporary file, or gives the array back for the next instance.
 *
 * @param bytes the array that contains the file in its first {@code length} bytes, or null; the
 *     bytes after them belong to no instance of this buffer
 * @param length how many bytes of {@code bytes} the file has
 * @param arrays where {@link #close()} gives {@code bytes} back, or null
 * @param datasetOffset the number of bytes of preamble and File Meta Information before the dataset
 * @param transferSyntaxUid the Transfer Syntax UID of the File Meta Information
 */
record RetrieveBuffer(byte[] bytes, int length, RetrieveArrays arrays, Path file, long datasetOffset,
        String transferSyntaxUid) implements AutoCloseable {

    /** Opens the dataset: the stored bytes after the File Meta Information, exactly as received. */
    InputStream openDataset() throws IOException {
        if (bytes != null) {
            return new ByteArrayInputStream(bytes, (int) datasetOffset, length - (int) datasetOffset);
        }
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(datasetOffset);
        return in;
    }

    @Override
    public void close() throws IOException {
        if (bytes != null && arrays != null) {
            arrays.give(bytes);
        }
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
