package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.stream.Stream;
import org.arca.dicom.uid.UID;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
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

    /** An array reused from a larger instance still contains its bytes past the shorter one: none of them is sent. */
    @Test
    void reusedArrayYieldsOnlyTheShorterBlob() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        byte[] larger = randomBytes(3000);
        byte[] shorter = new byte[1000];
        new Random(SEED + 1).nextBytes(shorter);
        InstanceVersion first = StoredTestBlobs.publish(blobs, "1.2.3.4", 1, larger);
        InstanceVersion second = StoredTestBlobs.publish(blobs, "1.2.3.5", 1, shorter);
        RetrieveArrays arrays = new RetrieveArrays();
        RetrieveBlobReader reader = reader(blobs);

        byte[] firstArray;
        try (RetrieveBuffer buffer = reader.readVerified(first, arrays)) {
            firstArray = buffer.bytes();
        }
        try (RetrieveBuffer buffer = reader.readVerified(second, arrays);
                InputStream in = buffer.openDataset()) {
            assertThat(buffer.bytes()).isSameAs(firstArray);
            assertThat(in.readAllBytes()).isEqualTo(shorter);
        }
    }

    /** A blob that fails its check gives its array back, and the next instance reads into it. */
    @Test
    void corruptBlobGivesItsArrayBack() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        byte[] dataset = randomBytes(1000);
        InstanceVersion good = StoredTestBlobs.publish(blobs, "1.2.3.4", 1, dataset);
        InstanceVersion corrupt = StoredTestBlobs.publish(blobs, "1.2.3.5", 1, randomBytes(2000));
        StoredTestBlobs.flipMiddleByte(blobs.pathOf(BlobId.of(corrupt.blobSha256())));
        RetrieveArrays arrays = new RetrieveArrays();
        RetrieveBlobReader reader = reader(blobs);
        byte[] lent = arrays.take(1);
        arrays.give(lent);

        assertThatThrownBy(() -> reader.readVerified(corrupt, arrays)).isInstanceOf(RetrieveBlobException.class);
        try (RetrieveBuffer buffer = reader.readVerified(good, arrays);
                InputStream in = buffer.openDataset()) {
            assertThat(buffer.bytes()).isSameAs(lent);
            assertThat(in.readAllBytes()).isEqualTo(dataset);
        }
    }

    @Test
    void flippedByteIsCorrupt() throws Exception {
        BlobStore blobs = BlobStore.open(temp.resolve("blobs"));
        InstanceVersion version = store(blobs, randomBytes(1000));
        StoredTestBlobs.flipMiddleByte(blobs.pathOf(BlobId.of(version.blobSha256())));

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
        StoredTestBlobs.flipMiddleByte(blobs.pathOf(BlobId.of(version.blobSha256())));

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

    private static InstanceVersion store(BlobStore blobs, byte[] dataset) throws Exception {
        return StoredTestBlobs.publish(blobs, "1.2.3.4", 1, dataset);
    }

    private static InstanceVersion storeStaged(BlobStore blobs, byte[] dataset) throws Exception {
        return StoredTestBlobs.publishStaged(blobs, "1.2.3.4", dataset);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(SEED).nextBytes(bytes);
        return bytes;
    }
}
