package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.arca.dicom.association.Association;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of `arca serve` at random points of a stream of C-STOREs, 20 times on one data
 * directory. After the last restart every instance that got a Success status must be listed
 * and byte-identical to what was sent, incomplete ones must be invisible, and verify must pass.
 * Run with -Darca.test.seed=N to repeat the kill points of an earlier run.
 */
class KillDuringIngestTest {

    private static final int ROUNDS = 20;
    private static final int SENDERS = 2;
    private static final int MIN_KILL_DELAY_MS = 150;
    private static final int MAX_KILL_DELAY_MS = 1500;

    @TempDir
    Path temp;

    @Test
    void acknowledgedInstancesSurviveKillNine() throws Exception {
        long seed = Long.getLong("arca.test.seed", System.nanoTime());
        System.out.println("KillDuringIngestTest seed: " + seed + " (rerun with -Darca.test.seed=" + seed + ")");
        Random random = new Random(seed);
        List<TestInstance> pool = generatePool();
        Path data = temp.resolve("arca-data");
        Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();

        for (int round = 0; round < ROUNDS; round++) {
            assertThat(next.get()).as("instances left to send in round %d", round).isLessThan(pool.size());
            try (ArcaProcess arca = ArcaProcess.start(data)) {
                List<Thread> senders = startSenders(arca.dicomPort(), pool, next, acknowledged);
                Thread.sleep(MIN_KILL_DELAY_MS + random.nextInt(MAX_KILL_DELAY_MS - MIN_KILL_DELAY_MS));
                arca.kill9();
                for (Thread sender : senders) {
                    sender.join(Duration.ofSeconds(60).toMillis());
                }
            }
            System.out.printf("round %d: %d sent or in flight, %d acknowledged%n", round, next.get(),
                    acknowledged.size());
        }

        assertThat(acknowledged).as("acknowledged instances over all rounds").isNotEmpty();
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            try (Stream<Path> leftovers = Files.list(DataDirectory.blobsOf(data).resolve("tmp"))) {
                assertThat(leftovers).as("temporary files after recovery").isEmpty();
            }
            assertThat(arca.terminate(Duration.ofSeconds(60))).isZero();
        }
        assertEveryAcknowledgedInstanceIsExact(data, acknowledged);
        ExternalTool.Result verify = Peers.arca("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    private List<TestInstance> generatePool() throws IOException, InterruptedException {
        Path input = temp.resolve("input");
        Peers.generate("sr", "--count", "10000", "--out", input.resolve("sr").toString());
        Peers.generate("ct", "--slices", "150", "--out", input.resolve("ct").toString());
        List<TestInstance> pool = new ArrayList<>(TestInstance.readAll(input.resolve("ct")));
        pool.addAll(TestInstance.readAll(input.resolve("sr")));
        java.util.Collections.shuffle(pool, new Random(1));
        return pool;
    }

    /** Senders take instances from the pool in turn and record those that got Success. */
    private static List<Thread> startSenders(int port, List<TestInstance> pool, AtomicInteger next,
            Map<String, byte[]> acknowledged) {
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            Thread sender = new Thread(() -> sendUntilFailure(port, pool, next, acknowledged), "sender-" + i);
            sender.start();
            senders.add(sender);
        }
        return senders;
    }

    private static void sendUntilFailure(int port, List<TestInstance> pool, AtomicInteger next,
            Map<String, byte[]> acknowledged) {
        Map<String, Association> associations = new HashMap<>();
        try {
            for (int index = next.getAndIncrement(); index < pool.size(); index = next.getAndIncrement()) {
                TestInstance instance = pool.get(index);
                String key = instance.sopClassUid() + "|" + instance.transferSyntaxUid();
                Association association = associations.get(key);
                if (association == null) {
                    association = Scu.connect(port, instance.sopClassUid(), instance.transferSyntaxUid());
                    associations.put(key, association);
                }
                DimseResponse response = association.cstore(instance.sopClassUid(), instance.sopInstanceUid(),
                        instance.transferSyntaxUid(), new java.io.ByteArrayInputStream(instance.dataset()), 0);
                if (response.status() == Status.SUCCESS) {
                    acknowledged.put(instance.sopInstanceUid(), instance.dataset());
                }
            }
        } catch (IOException | RuntimeException e) {
            // The node was killed: this sender stops, and what it had in flight stays unacknowledged.
        } finally {
            associations.values().forEach(Association::abort);
        }
    }

    private static void assertEveryAcknowledgedInstanceIsExact(Path data, Map<String, byte[]> acknowledged)
            throws IOException, InterruptedException {
        JsonNode listing = Peers.listJson(data);
        Map<String, String> shaBySopInstance = new HashMap<>();
        for (JsonNode instance : Peers.instances(listing)) {
            shaBySopInstance.put(instance.get("sopInstanceUid").asText(), instance.get("sha256").asText());
        }
        BlobStore blobs = BlobStore.openReadOnly(DataDirectory.blobsOf(data));
        for (Map.Entry<String, byte[]> entry : acknowledged.entrySet()) {
            String sha256 = shaBySopInstance.get(entry.getKey());
            assertThat(sha256).as("acknowledged SOP Instance %s is listed", entry.getKey()).isNotNull();
            byte[] stored = TestInstance.datasetOfBlob(blobs.pathOf(BlobId.of(sha256)));
            assertThat(stored).as("dataset bytes of SOP Instance %s", entry.getKey()).isEqualTo(entry.getValue());
        }
    }
}
