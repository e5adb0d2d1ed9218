package org.arca.store.reconcile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.VerifyResult;

/**
 * A blob read once: its SHA-256 checked as {@link org.arca.store.blob.BlobStore#verify} checks it,
 * and its indexed attributes parsed from the same bytes with arca-dicom's reader.
 *
 * @param verification whether the blob exists and matches its name
 * @param attributes the indexed attributes by keyword, null when the blob is missing or does not parse
 * @param parseError why the bytes did not parse, null when they did
 */
record StoredObject(VerifyResult verification, Map<String, String> attributes, String parseError) {

    /** Values longer than this are skipped by the parser; no indexed attribute is that long. */
    private static final long BULK_DATA_THRESHOLD_BYTES = 64 * 1024;

    static StoredObject read(BlobId id, Path path) throws IOException {
        MessageDigest sha256 = newSha256();
        CountingInput counting;
        Map<String, String> attributes = null;
        String parseError = null;
        try (InputStream file = Files.newInputStream(path)) {
            counting = new CountingInput(new DigestInputStream(file, sha256));
            try {
                DicomInputStream reader = new DicomInputStream(counting);
                Attributes meta = reader.readFileMetaInformation();
                Attributes dataset = reader.readDataset(ReadOptions.defaults()
                        .withBulkDataThreshold(BULK_DATA_THRESHOLD_BYTES));
                attributes = meta == null ? null : AttributeComparison.ofObject(meta, dataset);
                parseError = meta == null ? "it has no File Meta Information" : null;
            } catch (IOException | RuntimeException e) {
                parseError = e.getMessage();
            }
            counting.transferTo(OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            return new StoredObject(new VerifyResult(id, VerifyResult.Status.MISSING, null, -1), null, null);
        }

        BlobId actual = BlobId.ofDigest(sha256.digest());
        VerifyResult.Status status = actual.equals(id) ? VerifyResult.Status.OK : VerifyResult.Status.CORRUPT;
        return new StoredObject(new VerifyResult(id, status, actual, counting.count), attributes, parseError);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform must provide SHA-256", e);
        }
    }

    /** Counts the bytes read, so that the size comes from the same single read as the hash. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping would bypass the digest; read instead.
            int read = read(new byte[(int) Math.max(0, Math.min(n, 8192))]);
            return Math.max(read, 0);
        }
    }
}
