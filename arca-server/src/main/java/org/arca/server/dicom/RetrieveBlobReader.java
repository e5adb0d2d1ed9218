package org.arca.server.dicom;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.io.DicomInputStream;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.index.InstanceVersion;

/**
 * Reads a stored instance into a {@link RetrieveBuffer} while computing the SHA-256 of exactly
 * the bytes read, and hands out the buffer only when the digest matches the index. A blob up to
 * {@link #IN_MEMORY_LIMIT_BYTES} is read into the heap; a larger one is copied to a temporary
 * file, so that a 2 GiB instance needs no more heap than a small one.
 *
 * <p>Thread-safe: each call uses its own buffer.
 */
final class RetrieveBlobReader {

    /** The largest blob held in the heap, in bytes; larger ones go through a temporary file. */
    static final long IN_MEMORY_LIMIT_BYTES = 4L << 20;

    private static final int COPY_BUFFER_BYTES = 256 * 1024;

    private final BlobStore blobs;
    private final Path bufferDirectory;

    /**
     * @param bufferDirectory where temporary copies of large blobs are written; a directory that
     *     the node empties at start, such as the blob store's tmp directory
     */
    RetrieveBlobReader(BlobStore blobs, Path bufferDirectory) {
        this.blobs = blobs;
        this.bufferDirectory = bufferDirectory;
    }

    Path pathOf(InstanceVersion version) {
        return blobs.pathOf(BlobId.of(version.blobSha256()));
    }

    /**
     * Reads and verifies the blob of the instance version, from its file or, for a blob stored a
     * moment ago, from its staging pack (without writing it out first).
     */
    RetrieveBuffer readVerified(InstanceVersion version) throws RetrieveBlobException {
        return readVerified(version, new RetrieveArrays());
    }

    /**
     * Reads and verifies the blob of the instance version as {@link #readVerified(InstanceVersion)}
     * does, into an array from {@code arrays} when it is held in memory.
     */
    RetrieveBuffer readVerified(InstanceVersion version, RetrieveArrays arrays) throws RetrieveBlobException {
        BlobId id = BlobId.of(version.blobSha256());
        String where = blobs.describe(id);
        if (!blobs.exists(id)) {
            throw new RetrieveBlobException(RetrieveBlobException.Reason.MISSING, "Blob " + where
                    + " of SOP Instance " + version.sopInstanceUid() + " does not exist", null);
        }
        long size;
        try {
            size = blobs.size(id);
        } catch (IOException e) {
            throw unreadable(version, where, e);
        }
        return size <= IN_MEMORY_LIMIT_BYTES ? readIntoHeap(version, id, where, (int) size, arrays)
                : copyToTemporaryFile(version, id, where);
    }

    /**
     * Reads the blob straight into an array (no copy through a stream buffer) of at least one byte
     * more than the size it had when measured. A blob that shrank or grew since then yields fewer
     * or one more byte, so its SHA-256 check fails, as it must. The array goes back to
     * {@code arrays} unless it leaves in the buffer.
     */
    private RetrieveBuffer readIntoHeap(InstanceVersion version, BlobId id, String where, int size,
            RetrieveArrays arrays) throws RetrieveBlobException {
        MessageDigest sha256 = newSha256();
        byte[] bytes = arrays.take(size + 1);
        boolean handedOver = false;
        try {
            int length;
            try (InputStream in = blobs.newInputStream(id)) {
                length = in.readNBytes(bytes, 0, size + 1);
            } catch (NoSuchFileException e) {
                throw new RetrieveBlobException(RetrieveBlobException.Reason.MISSING, "Blob " + where
                        + " of SOP Instance " + version.sopInstanceUid() + " does not exist", e);
            } catch (IOException e) {
                throw unreadable(version, where, e);
            }
            sha256.update(bytes, 0, length);
            checkDigest(version, where, sha256.digest(), length);
            RetrieveBuffer buffer = withDatasetOffset(version, where, bytes, length, arrays, null);
            handedOver = true;
            return buffer;
        } finally {
            if (!handedOver) {
                arrays.give(bytes);
            }
        }
    }

    private RetrieveBuffer copyToTemporaryFile(InstanceVersion version, BlobId id, String where)
            throws RetrieveBlobException {
        MessageDigest sha256 = newSha256();
        Path copy = null;
        try {
            copy = Files.createTempFile(bufferDirectory, "retrieve-", ".tmp");
            long sizeBytes;
            try (InputStream in = new DigestInputStream(blobs.newInputStream(id), sha256);
                    OutputStream out = new BufferedOutputStream(Files.newOutputStream(copy), COPY_BUFFER_BYTES)) {
                sizeBytes = in.transferTo(out);
            }
            checkDigest(version, where, sha256.digest(), sizeBytes);
            return withDatasetOffset(version, where, null, 0, null, copy);
        } catch (IOException e) {
            deleteQuietly(copy);
            throw unreadable(version, where, e);
        } catch (RetrieveBlobException | RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    private static void checkDigest(InstanceVersion version, String where, byte[] digest, long sizeBytes)
            throws RetrieveBlobException {
        String actual = HexFormat.of().formatHex(digest);
        if (!actual.equals(version.blobSha256())) {
            throw new RetrieveBlobException(RetrieveBlobException.Reason.CORRUPT, "Blob " + where + " of SOP Instance "
                    + version.sopInstanceUid() + " version " + version.version() + " has SHA-256 " + actual + " over "
                    + sizeBytes + " bytes, but the index expects " + version.blobSha256(), null);
        }
    }

    /** Parses the File Meta Information of the verified bytes to find where the dataset starts. */
    private static RetrieveBuffer withDatasetOffset(InstanceVersion version, String where, byte[] bytes, int length,
            RetrieveArrays arrays, Path copy) throws RetrieveBlobException {
        try (InputStream in = bytes != null ? new ByteArrayInputStream(bytes, 0, length) : Files.newInputStream(copy)) {
            DicomInputStream reader = new DicomInputStream(in);
            Attributes meta = reader.readFileMetaInformation();
            String transferSyntaxUid = meta == null ? null : meta.getString(Tag.TransferSyntaxUID);
            if (transferSyntaxUid == null) {
                throw new RetrieveBlobException(RetrieveBlobException.Reason.NOT_PART10, "Blob " + where
                        + " of SOP Instance " + version.sopInstanceUid()
                        + " has no File Meta Information with a Transfer Syntax UID", null);
            }
            return new RetrieveBuffer(bytes, length, arrays, copy, reader.position(), transferSyntaxUid);
        } catch (IOException e) {
            throw new RetrieveBlobException(RetrieveBlobException.Reason.NOT_PART10, "The File Meta Information of blob "
                    + where + " of SOP Instance " + version.sopInstanceUid() + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static RetrieveBlobException unreadable(InstanceVersion version, String where, IOException e) {
        return new RetrieveBlobException(RetrieveBlobException.Reason.UNREADABLE, "Reading blob " + where
                + " of SOP Instance " + version.sopInstanceUid() + " failed: " + e, e);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM lacks SHA-256, which every Java SE platform provides", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The node deletes what is left in the buffer directory at its next start.
        }
    }
}
