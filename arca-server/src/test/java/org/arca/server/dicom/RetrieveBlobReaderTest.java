package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.stream.Stream;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.UID;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.PendingBlob;
import org.arca.store.blob.TempBlob;
import org.arca.store.index.InstanceVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrieveBlobReaderTest {

    private static final long SEED = 20261204L;

    @TempDir
    Path temp;

    @Test
    void smallBlobReturnsDatasetBytes() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        byte[] dataset = randomBytes(1000);
        InstanceVersion version = store(blobs, dataset);

        try (RetrieveBuffer buffer = reader(blobs).readVerified(version);
                InputStream in = buffer.openDataset()) {
            assertThat(buffer.file()).isNull();
            assertThat(buffer.transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
            assertThat(in.readAllBytes()).isEqualTo(dataset);
        }
    }

    /** A blob stored a moment ago is read from its staging pack, or from its file once written out. */
    @Test
    void stagedBlobIsRetrievable() throws Exception {
        try (BlobStore blobs = BlobStore.open(temp.resolve("blobs"))) {
            byte[] dataset = randomBytes(1000);
            InstanceVersion version = storeStaged(blobs, dataset);

            try (RetrieveBuffer buffer = reader(blobs).readVerified(version);
                    InputStream in = buffer.openDataset()) {
                assertThat(in.readAllBytes()).isEqualTo(dataset);
            }
        }
    }

    @Test
    void largeBlobGoesThroughTemporaryFile() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        byte[] dataset = randomBytes((int) RetrieveBlobReader.IN_MEMORY_LIMIT_BYTES + 10);
        InstanceVersion version = store(blobs, dataset);

        Path copy;
        try (RetrieveBuffer buffer = reader(blobs).readVerified(version);
                InputStream in = buffer.openDataset()) {
            copy = buffer.file();
            assertThat(buffer.bytes()).isNull();
            assertThat(copy).exists();
            assertThat(in.readAllBytes()).isEqualTo(dataset);
        }
        assertThat(copy).doesNotExist();
    }

    @Test
    void flippedByteIsCorrupt() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        InstanceVersion version = store(blobs, randomBytes(1000));
        flipMiddleByte(blobs.pathOf(BlobId.of(version.blobSha256())));

        assertThatThrownBy(() -> reader(blobs).readVerified(version))
                .isInstanceOfSatisfying(RetrieveBlobException.class,
                        e -> assertThat(e.reason()).isEqualTo(RetrieveBlobException.Reason.CORRUPT))
                .hasMessageContaining(version.sopInstanceUid());
    }

    @Test
    void appendedByteIsCorrupt() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        InstanceVersion version = store(blobs, randomBytes(1000));
        Path blob = blobs.pathOf(BlobId.of(version.blobSha256()));
        Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-r--r--"));
        Files.write(blob, new byte[] {7}, java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> reader(blobs).readVerified(version))
                .isInstanceOfSatisfying(RetrieveBlobException.class,
                        e -> assertThat(e.reason()).isEqualTo(RetrieveBlobException.Reason.CORRUPT))
                .hasMessageContaining("over 1");
    }

    @Test
    void flippedByteInLargeBlobLeavesNoCopy() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        InstanceVersion version = store(blobs, randomBytes((int) RetrieveBlobReader.IN_MEMORY_LIMIT_BYTES + 10));
        flipMiddleByte(blobs.pathOf(BlobId.of(version.blobSha256())));

        assertThatThrownBy(() -> reader(blobs).readVerified(version))
                .isInstanceOfSatisfying(RetrieveBlobException.class,
                        e -> assertThat(e.reason()).isEqualTo(RetrieveBlobException.Reason.CORRUPT));
        try (Stream<Path> left = Files.list(temp.resolve("buffers"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void missingBlobIsMissing() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        InstanceVersion version = store(blobs, randomBytes(100));
        Path blob = blobs.pathOf(BlobId.of(version.blobSha256()));
        Files.delete(blob);

        assertThatThrownBy(() -> reader(blobs).readVerified(version))
                .isInstanceOfSatisfying(RetrieveBlobException.class,
                        e -> assertThat(e.needsRepair()).isTrue());
    }

    private RetrieveBlobReader reader(BlobStore blobs) throws Exception {
        return new RetrieveBlobReader(blobs, Files.createDirectories(temp.resolve("buffers")));
    }

    /** Publishes a Part 10 file with the dataset bytes after its meta, as ingest would. */
    private static InstanceVersion store(BlobStore blobs, byte[] dataset) throws Exception {
        Attributes meta = new Attributes();
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, "1.2.3.4");
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
        new DicomOutputStream(metaBytes).writeFileMetaInformation(meta);

        BlobId id;
        try (TempBlob blob = blobs.createTemp()) {
            OutputStream out = blob.outputStream();
            out.write(metaBytes.toByteArray());
            out.write(dataset);
            id = blobs.publishAndFsync(blob);
        }
        return new InstanceVersion("1.2", "1.2.3", "1.2.3.4", 1, true, UID.SecondaryCaptureImageStorage, "1",
                UID.ExplicitVRLittleEndian, null, id.hex(), metaBytes.size() + dataset.length, 1, 0, "TEST");
    }

    /** Stores like an ingest does: a small blob is staged, and its write-out waits for a pause in arrivals. */
    private static InstanceVersion storeStaged(BlobStore blobs, byte[] dataset) throws Exception {
        byte[] meta = fileMetaInformation();
        PendingBlob pending = blobs.createPending();
        pending.outputStream().write(meta);
        pending.outputStream().write(dataset);
        BlobId id = blobs.publishAndFsync(pending);
        return new InstanceVersion("1.2", "1.2.3", "1.2.3.4", 1, true, UID.SecondaryCaptureImageStorage, "1",
                UID.ExplicitVRLittleEndian, null, id.hex(), meta.length + dataset.length, 1, 0, "TEST");
    }

    private static byte[] fileMetaInformation() throws Exception {
        Attributes meta = new Attributes();
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, "1.2.3.4");
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
        new DicomOutputStream(metaBytes).writeFileMetaInformation(meta);
        return metaBytes.toByteArray();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(SEED).nextBytes(bytes);
        return bytes;
    }

    private static void flipMiddleByte(Path blob) throws Exception {
        Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-r--r--"));
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= (byte) 0xFF;
        Files.write(blob, bytes);
    }
}
