package org.arca.server.dicom;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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

    /** Reads and verifies the blob of the instance version. */
    RetrieveBuffer readVerified(InstanceVersion version) throws RetrieveBlobException {
        Path path = pathOf(version);
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new RetrieveBlobException(RetrieveBlobException.Reason.MISSING, "Blob file " + path
                    + " of SOP Instance " + version.sopInstanceUid() + " does not exist", e);
        } catch (IOException e) {
            throw unreadable(version, path, e);
        }
        return size <= IN_MEMORY_LIMIT_BYTES ? readIntoHeap(version, path, (int) size)
                : copyToTemporaryFile(version, path);
    }

    private RetrieveBuffer readIntoHeap(InstanceVersion version, Path path, int size) throws RetrieveBlobException {
        MessageDigest sha256 = newSha256();
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            bytes = readExactly(channel, size);
        } catch (IOException e) {
            throw unreadable(version, path, e);
        }
        sha256.update(bytes);
        checkDigest(version, path, sha256.digest(), bytes.length);
        return withDatasetOffset(version, path, bytes, null);
    }

    /**
     * Reads the file into an array of the size it had when measured, in few large reads (no copy
     * through an 8 KiB stream buffer). A file that shrank or grew since then yields fewer or one more
     * byte, so its SHA-256 check fails, as it must.
     */
    private static byte[] readExactly(FileChannel channel, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return Arrays.copyOf(buffer.array(), buffer.position());
            }
        }
        ByteBuffer extra = ByteBuffer.allocate(1);
        if (channel.read(extra) > 0) {
            byte[] grown = Arrays.copyOf(buffer.array(), size + 1);
            grown[size] = extra.get(0);
            return grown;
        }
        return buffer.array();
    }

    private RetrieveBuffer copyToTemporaryFile(InstanceVersion version, Path path) throws RetrieveBlobException {
        MessageDigest sha256 = newSha256();
        Path copy = null;
        try {
            copy = Files.createTempFile(bufferDirectory, "retrieve-", ".tmp");
            long sizeBytes;
            try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha256);
                    OutputStream out = new BufferedOutputStream(Files.newOutputStream(copy), COPY_BUFFER_BYTES)) {
                sizeBytes = in.transferTo(out);
            }
            checkDigest(version, path, sha256.digest(), sizeBytes);
            return withDatasetOffset(version, path, null, copy);
        } catch (IOException e) {
            deleteQuietly(copy);
            throw unreadable(version, path, e);
        } catch (RetrieveBlobException | RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    private static void checkDigest(InstanceVersion version, Path path, byte[] digest, long sizeBytes)
            throws RetrieveBlobException {
        String actual = HexFormat.of().formatHex(digest);
        if (!actual.equals(version.blobSha256())) {
            throw new RetrieveBlobException(RetrieveBlobException.Reason.CORRUPT, "Blob file " + path + " of SOP Instance "
                    + version.sopInstanceUid() + " version " + version.version() + " has SHA-256 " + actual + " over "
                    + sizeBytes + " bytes, but the index expects " + version.blobSha256(), null);
        }
    }

    /** Parses the File Meta Information of the verified bytes to find where the dataset starts. */
    private static RetrieveBuffer withDatasetOffset(InstanceVersion version, Path path, byte[] bytes, Path copy)
            throws RetrieveBlobException {
        try (InputStream in = bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(copy)) {
            DicomInputStream reader = new DicomInputStream(in);
            Attributes meta = reader.readFileMetaInformation();
            String transferSyntaxUid = meta == null ? null : meta.getString(Tag.TransferSyntaxUID);
            if (transferSyntaxUid == null) {
                throw new RetrieveBlobException(RetrieveBlobException.Reason.NOT_PART10, "Blob file " + path
                        + " of SOP Instance " + version.sopInstanceUid()
                        + " has no File Meta Information with a Transfer Syntax UID", null);
            }
            return new RetrieveBuffer(bytes, copy, reader.position(), transferSyntaxUid);
        } catch (IOException e) {
            throw new RetrieveBlobException(RetrieveBlobException.Reason.NOT_PART10, "The File Meta Information of blob file "
                    + path + " of SOP Instance " + version.sopInstanceUid() + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static RetrieveBlobException unreadable(InstanceVersion version, Path path, IOException e) {
        return new RetrieveBlobException(RetrieveBlobException.Reason.UNREADABLE, "Reading blob file " + path
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
