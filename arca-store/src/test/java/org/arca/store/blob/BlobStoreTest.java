package org.arca.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

    private static final long SEED = 20261204L;

    @TempDir
    Path root;

    @Test
    void publishStoresBytesUnderSha256() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] bytes = randomBytes(600 * 1024 + 17);

        BlobId id = write(store, bytes);

        assertThat(id.hex()).isEqualTo(sha256Hex(bytes));
        assertThat(store.pathOf(id)).isEqualTo(root.resolve(id.hex().substring(0, 2))
                .resolve(id.hex().substring(2, 4)).resolve(id.hex()));
        assertThat(store.exists(id)).isTrue();
        assertThat(store.size(id)).isEqualTo(bytes.length);
        try (InputStream in = store.open(id)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(Files.list(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void largeBlobStreamsThroughSmallChunks() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] chunk = randomBytes(64 * 1024);
        int chunks = 1024;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");

        long startNanos = System.nanoTime();
        BlobId id;
        try (TempBlob temp = store.createTemp()) {
            for (int i = 0; i < chunks; i++) {
                chunk[0] = (byte) i;
                expected.update(chunk);
                temp.outputStream().write(chunk);
            }
            id = store.publishAndFsync(temp);
        }
        long elapsedNanos = System.nanoTime() - startNanos;

        assertThat(id.hex()).isEqualTo(java.util.HexFormat.of().formatHex(expected.digest()));
        assertThat(store.size(id)).isEqualTo(64L * 1024 * chunks);
        // Printed for a sanity check only, never asserted: it depends on the machine.
        System.out.printf("Wrote and fsynced a 64 MiB blob at %.0f MiB/s%n", 64 * 1e9 / elapsedNanos);
    }

    @Test
    void publishedBlobIsReadOnly() throws Exception {
        BlobStore store = BlobStore.open(root);

        BlobId id = write(store, "read only".getBytes());

        assertThat(Files.getPosixFilePermissions(store.pathOf(id)))
                .doesNotContain(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_WRITE);
    }

    @Test
    void mixedWriteSizesHashTheSame() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] bytes = randomBytes(1000);

        BlobId id;
        try (TempBlob temp = store.createTemp()) {
            OutputStream out = temp.outputStream();
            out.write(bytes, 0, 10);
            for (int i = 10; i < 20; i++) {
                out.write(bytes[i]);
            }
            out.write(bytes, 20, bytes.length - 20);
            assertThat(temp.size()).isEqualTo(bytes.length);
            id = store.publishAndFsync(temp);
        }

        assertThat(id.hex()).isEqualTo(sha256Hex(bytes));
    }

    @Test
    void blobsSharingFanOutDirectoryArePublished() throws Exception {
        BlobStore store = BlobStore.open(root);
        List<byte[]> sharing = blobsWithSameFanOut();

        BlobId first = write(store, sharing.get(0));
        BlobId second = write(store, sharing.get(1));

        assertThat(store.pathOf(first).getParent()).isEqualTo(store.pathOf(second).getParent());
        assertThat(store.pathOf(first)).hasBinaryContent(sharing.get(0));
        assertThat(store.pathOf(second)).hasBinaryContent(sharing.get(1));
        try (Stream<Path> leftovers = Files.list(root.resolve("tmp"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    /** Returns two 4-byte contents whose SHA-256 starts with the same four hex digits. */
    private static List<byte[]> blobsWithSameFanOut() throws NoSuchAlgorithmException {
        Map<String, byte[]> byPrefix = new HashMap<>();
        for (int i = 0; ; i++) {
            byte[] bytes = ByteBuffer.allocate(4).putInt(i).array();
            byte[] earlier = byPrefix.putIfAbsent(sha256Hex(bytes).substring(0, 4), bytes);
            if (earlier != null) {
                return List.of(earlier, bytes);
            }
        }
    }

    @Test
    void sameBytesTwiceAreDeduplicated() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] bytes = randomBytes(4096);

        BlobId first = write(store, bytes);
        BlobId second = write(store, bytes);

        assertThat(second).isEqualTo(first);
        assertThat(Files.list(root.resolve("tmp"))).isEmpty();
        try (Stream<BlobId> ids = store.list()) {
            assertThat(ids.toList()).containsExactly(first);
        }
    }

    @Test
    void damagedExistingBlobIsReplaced() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] bytes = randomBytes(4096);
        BlobId id = write(store, bytes);
        makeWritable(store.pathOf(id));
        Files.write(store.pathOf(id), new byte[10]);

        BlobId again = write(store, bytes);

        assertThat(again).isEqualTo(id);
        assertThat(store.verify(id).isOk()).isTrue();
    }

    @Test
    void flippedByteExistingBlobIsReplaced() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] bytes = randomBytes(4096);
        BlobId id = write(store, bytes);
        Path path = store.pathOf(id);
        makeWritable(path);
        byte[] damaged = bytes.clone();
        damaged[2000] ^= 0x01;
        Files.write(path, damaged);

        BlobId again = write(store, bytes);

        assertThat(again).isEqualTo(id);
        assertThat(store.verify(id).isOk()).as("same size, one byte flipped: replaced").isTrue();
    }

    @Test
    void verifyDetectsCorruptedFile() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] bytes = randomBytes(8192);
        BlobId id = write(store, bytes);
        assertThat(store.verify(id)).isEqualTo(new VerifyResult(id, VerifyResult.Status.OK, id, bytes.length));

        Path path = store.pathOf(id);
        makeWritable(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bytes[100] ^ 0x01)}), 100);
        }
        VerifyResult result = store.verify(id);

        assertThat(result.status()).isEqualTo(VerifyResult.Status.CORRUPT);
        assertThat(result.actual()).isNotEqualTo(id);
        assertThat(result.sizeBytes()).isEqualTo(bytes.length);
    }

    @Test
    void verifyReportsMissingBlob() throws Exception {
        BlobStore store = BlobStore.open(root);
        BlobId id = BlobId.of(sha256Hex(new byte[] {1}));

        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.MISSING);
        assertThat(store.exists(id)).isFalse();
    }

    @Test
    void openDeletesLeftoverTempFiles() throws Exception {
        BlobStore.open(root);
        Files.write(root.resolve("tmp/blob-crashed-1.tmp"), randomBytes(100));
        Files.write(root.resolve("tmp/blob-crashed-2.tmp"), randomBytes(100));

        BlobStore.open(root);

        assertThat(Files.list(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void closeWithoutPublishDeletesTemp() throws Exception {
        BlobStore store = BlobStore.open(root);
        Path tempPath;

        try (TempBlob temp = store.createTemp()) {
            temp.outputStream().write(randomBytes(100));
            tempPath = temp.path();
            assertThat(tempPath).exists();
        }

        assertThat(tempPath).doesNotExist();
        TempBlob second = store.createTemp();
        second.discard();
        second.discard();
        assertThat(second.path()).doesNotExist();
    }

    @Test
    void writeAfterDiscardThrows() throws Exception {
        BlobStore store = BlobStore.open(root);
        TempBlob temp = store.createTemp();
        temp.discard();

        assertThatThrownBy(() -> temp.outputStream().write(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void listIgnoresForeignFiles() throws Exception {
        BlobStore store = BlobStore.open(root);
        BlobId a = write(store, randomBytes(10));
        BlobId b = write(store, randomBytes(11));
        Files.createDirectories(root.resolve("zz/yy"));
        Files.writeString(root.resolve("zz/yy/not-a-blob"), "x");
        Files.writeString(root.resolve("zz/yy/" + a.hex()), "misplaced");

        try (Stream<BlobId> ids = store.list()) {
            assertThat(ids.toList()).containsExactlyInAnyOrderElementsOf(List.of(a, b));
        }
    }

    @Test
    void blobIdValidation() {
        String hex = "AB".repeat(32);

        assertThat(BlobId.of(hex).hex()).isEqualTo("ab".repeat(32));
        assertThatThrownBy(() -> BlobId.of("ab")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hexadecimal digits");
        assertThatThrownBy(() -> BlobId.of("g".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobId.ofDigest(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    static BlobId write(BlobStore store, byte[] bytes) throws IOException {
        try (TempBlob temp = store.createTemp()) {
            temp.outputStream().write(bytes);
            return store.publishAndFsync(temp);
        }
    }

    static void makeWritable(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(SEED + length).nextBytes(bytes);
        return bytes;
    }

    static String sha256Hex(byte[] bytes) throws NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
