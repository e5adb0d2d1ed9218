package org.arca.store.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.stream.Stream;

import org.arca.store.StorageException;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.TempBlob;
import org.arca.store.fs.crash.FaultInjectingFileLayer.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The early flushes of a large temporary blob: they leave its bytes intact, and a failed one fails
 * the blob even though the final fsync might not report the error again.
 */
class WriteBehindTest {

    /** Three early flush intervals of 8 MiB. */
    private static final int BLOB_BYTES = 24 << 20;
    private static final int CHUNK_BYTES = 1 << 20;
    private static final long FLUSH_TIMEOUT_NANOS = 10_000_000_000L;

    @TempDir
    Path temp;

    private final FaultInjectingFileLayer faults = new FaultInjectingFileLayer();
    private final byte[] bytes = new byte[BLOB_BYTES];
    private BlobStore store;

    @BeforeEach
    void open() throws IOException {
        new Random(8).nextBytes(bytes);
        store = BlobStore.open(temp.resolve("blobs"), faults);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void largeBlobKeepsItsBytes() throws Exception {
        BlobId id;
        try (TempBlob blob = store.createTemp()) {
            writeInChunks(blob);
            id = store.publishAndFsync(blob);
        }

        assertThat(id).isEqualTo(BlobId.ofDigest(MessageDigest.getInstance("SHA-256").digest(bytes)));
        try (InputStream in = store.open(id)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void failedEarlyFlushFailsBlob() throws Exception {
        faults.fail(Operation.FORCE, path -> path.startsWith(temp.resolve("blobs").resolve("tmp")));

        assertThatThrownBy(() -> {
            try (TempBlob blob = store.createTemp()) {
                writeInChunks(blob);
                awaitInjectedFault();
                store.publishAndFsync(blob);
            }
        }).isInstanceOf(StorageException.class);

        assertThat(faults.injectedCount()).as("forces tried: the failed early flush, and no final fsync").isEqualTo(1);
        try (Stream<Path> left = Files.list(temp.resolve("blobs").resolve("tmp"))) {
            assertThat(left).as("temporary files left").isEmpty();
        }

        faults.clear();
        try (TempBlob blob = store.createTemp()) {
            writeInChunks(blob);
            assertThat(store.publishAndFsync(blob)).as("publish after the fault cleared").isNotNull();
        }
    }

    private void writeInChunks(TempBlob blob) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
            blob.outputStream().write(bytes, offset, CHUNK_BYTES);
        }
    }

    /** Waits until the first early flush has failed, and fails the test if none starts within 10 s. */
    private void awaitInjectedFault() throws InterruptedException {
        long deadline = System.nanoTime() + FLUSH_TIMEOUT_NANOS;
        while (faults.injectedCount() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No early flush of the temporary blob started within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
