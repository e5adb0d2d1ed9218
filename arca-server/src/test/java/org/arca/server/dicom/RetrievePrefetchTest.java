package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.index.InstanceVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads real blobs ahead as {@link RetrieveService} does: start the first, then take each and
 * start the next before using it. Large blobs go through temporary copies in the buffer
 * directory, so a leaked buffer shows there.
 */
class RetrievePrefetchTest {

    private static final long SEED = 20261205L;
    private static final int LARGE_BYTES = (int) RetrieveBlobReader.IN_MEMORY_LIMIT_BYTES + 10;
    private static final String THREAD_NAME = "TEST retrieve reader";

    @TempDir
    Path temp;

    private BlobStore blobs;
    private Path buffers;
    private RetrieveBlobReader reader;

    @BeforeEach
    void openStore() throws Exception {
        blobs = BlobStore.open(temp.resolve("blobs"));
        buffers = Files.createDirectories(temp.resolve("buffers"));
        reader = new RetrieveBlobReader(blobs, buffers);
    }

    @Test
    void takeKeepsOrderAroundCorruptBlob() throws Exception {
        Random random = new Random(SEED);
        List<byte[]> datasets = new ArrayList<>();
        List<InstanceVersion> versions = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] dataset = randomBytes(random, i % 2 == 0 ? LARGE_BYTES : 1000 + i);
            datasets.add(dataset);
            versions.add(store(dataset, i));
        }
        int corrupt = 3;
        StoredTestBlobs.flipMiddleByte(blobs.pathOf(BlobId.of(versions.get(corrupt).blobSha256())));

        List<Integer> sent = new ArrayList<>();
        List<Integer> failed = new ArrayList<>();
        try (RetrievePrefetch prefetch = new RetrievePrefetch(reader, THREAD_NAME)) {
            prefetch.start(versions.get(0));
            for (int i = 0; i < versions.size(); i++) {
                RetrieveBuffer buffer;
                try {
                    buffer = prefetch.take(versions.get(i));
                } catch (RetrieveBlobException e) {
                    assertThat(e.reason()).as("reason of instance %d, seed %d", i, SEED)
                            .isEqualTo(RetrieveBlobException.Reason.CORRUPT);
                    failed.add(i);
                    startNext(prefetch, versions, i);
                    continue;
                }
                try (buffer; InputStream in = buffer.openDataset()) {
                    startNext(prefetch, versions, i);
                    assertThat(in.readAllBytes()).as("dataset of instance %d, seed %d", i, SEED)
                            .isEqualTo(datasets.get(i));
                    assertThat(temporaryCopies()).as("temporary copies while instance %d is sent", i)
                            .isLessThanOrEqualTo(2);
                    sent.add(i);
                }
            }
        }

        assertThat(sent).containsExactly(0, 1, 2, 4, 5, 6);
        assertThat(failed).containsExactly(corrupt);
        assertThat(temporaryCopies()).isZero();
        assertWorkerEnded();
    }

    @Test
    void closeDeletesUntakenCopy() throws Exception {
        InstanceVersion version = store(randomBytes(new Random(SEED), LARGE_BYTES), 0);

        try (RetrievePrefetch prefetch = new RetrievePrefetch(reader, THREAD_NAME)) {
            prefetch.start(version);
        }

        assertThat(temporaryCopies()).isZero();
        assertWorkerEnded();
    }

    @Test
    void takeWithoutStartReadsInline() throws Exception {
        byte[] dataset = randomBytes(new Random(SEED), 500);
        InstanceVersion version = store(dataset, 0);

        try (RetrievePrefetch prefetch = new RetrievePrefetch(reader, THREAD_NAME);
                RetrieveBuffer buffer = prefetch.take(version);
                InputStream in = buffer.openDataset()) {
            assertThat(in.readAllBytes()).isEqualTo(dataset);
            assertThat(workerThreads()).as("no worker thread without a read ahead").isEmpty();
        }
    }

    @Test
    void takeOfOtherInstanceIsRejected() throws Exception {
        Random random = new Random(SEED);
        InstanceVersion first = store(randomBytes(random, LARGE_BYTES), 0);
        InstanceVersion second = store(randomBytes(random, 100), 1);

        try (RetrievePrefetch prefetch = new RetrievePrefetch(reader, THREAD_NAME)) {
            prefetch.start(first);

            assertThatThrownBy(() -> prefetch.take(second)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(first.sopInstanceUid());
        }
        assertThat(temporaryCopies()).isZero();
    }

    private static void startNext(RetrievePrefetch prefetch, List<InstanceVersion> versions, int index) {
        if (index + 1 < versions.size()) {
            prefetch.start(versions.get(index + 1));
        }
    }

    private long temporaryCopies() throws Exception {
        try (Stream<Path> files = Files.list(buffers)) {
            return files.count();
        }
    }

    /** The worker is idle once close() returns, so it ends soon after its executor shuts down. */
    private static void assertWorkerEnded() throws InterruptedException {
        for (Thread worker : workerThreads()) {
            worker.join(10_000);
            assertThat(worker.isAlive()).as("worker thread %s alive 10 s after close", worker).isFalse();
        }
    }

    private static List<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(THREAD_NAME)).toList();
    }

    private InstanceVersion store(byte[] dataset, int number) throws Exception {
        return StoredTestBlobs.publish(blobs, "1.2.3.4." + number, number, dataset);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
