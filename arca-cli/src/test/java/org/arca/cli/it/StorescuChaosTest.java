package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process-level chaos with dcmtk: several concurrent {@code storescu -v} processes send
 * generated files to {@code arca serve}, which is killed with SIGKILL at a random moment and
 * restarted, up to {@code -Darca.chaos.kills=N} times (default 100) within
 * {@code -Darca.chaos.budget.seconds=S} (default 420). A file counts as acknowledged when
 * storescu printed "Received Store Response (Success)" after "Sending file: PATH". At the end
 * every acknowledged file must be listed with a dataset byte-identical to the file's, and
 * {@code arca verify} must pass. Seed: {@code -Darca.test.seed=N}.
 */
class StorescuChaosTest {

    private static final int SENDERS = 3;
    private static final int FILES_PER_SENDER = 60;
    private static final int MIN_KILL_DELAY_MS = 100;
    private static final int MAX_KILL_DELAY_MS = 1500;

    @TempDir
    Path temp;

    @Test
    void acknowledgedFilesSurviveKills() throws Exception {
        long seed = Long.getLong("arca.test.seed", System.nanoTime());
        int maxKills = Integer.getInteger("arca.chaos.kills", 100);
        long budgetNanos = Duration.ofSeconds(Long.getLong("arca.chaos.budget.seconds", 420)).toNanos();
        System.out.println("StorescuChaosTest seed: " + seed + " (rerun with -Darca.test.seed=" + seed + "), at most "
                + maxKills + " kills");
        Random random = new Random(seed);
        List<Path> pool = generatePool();
        Path data = temp.resolve("arca-data");
        Map<Path, Boolean> acknowledged = new ConcurrentHashMap<>();
        long start = System.nanoTime();

        int kills = 0;
        while (kills < maxKills && System.nanoTime() - start < budgetNanos) {
            runRound(data, nextFiles(pool, acknowledged, random), random, acknowledged);
            kills++;
        }

        System.out.println("StorescuChaosTest: survived " + kills + " kills; " + acknowledged.size() + " of "
                + pool.size() + " files acknowledged");
        assertThat(kills).as("kills").isPositive();
        assertThat(acknowledged).as("acknowledged files").isNotEmpty();
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            assertThat(arca.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
        }
        assertAcknowledgedFilesExact(data, acknowledged.keySet());
        ExternalTool.Result verify = Peers.arca("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    /**
     * Returns the files of the next round: those not acknowledged yet first, then, once fewer remain
     * than a round sends, acknowledged ones again in random order. Their re-sends are duplicates that
     * the node must still acknowledge and keep intact, so every round has a full load when the kill lands.
     */
    private static List<Path> nextFiles(List<Path> pool, Map<Path, Boolean> acknowledged, Random random) {
        List<Path> files = new ArrayList<>(pool.stream().filter(file -> !acknowledged.containsKey(file)).toList());
        int roundSize = SENDERS * FILES_PER_SENDER;
        if (files.size() < roundSize) {
            List<Path> again = new ArrayList<>(acknowledged.keySet());
            java.util.Collections.shuffle(again, random);
            files.addAll(again.subList(0, Math.min(again.size(), roundSize - files.size())));
        }
        return files;
    }

    private List<Path> generatePool() throws IOException, InterruptedException {
        Path input = temp.resolve("input");
        Peers.generate("sr", "--count", "3000", "--out", input.resolve("sr").toString());
        Peers.generate("ct", "--slices", "100", "--out", input.resolve("ct").toString());
        List<Path> pool = new ArrayList<>();
        try (Stream<Path> files = Files.walk(input)) {
            files.filter(Files::isRegularFile).sorted().forEach(pool::add);
        }
        java.util.Collections.shuffle(pool, new Random(1));
        return pool;
    }

    /** Starts the node and the senders, kills the node at a random moment, and records the acknowledgements. */
    private static void runRound(Path data, List<Path> pending, Random random, Map<Path, Boolean> acknowledged)
            throws Exception {
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            List<Process> senders = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                int from = Math.min(pending.size(), i * FILES_PER_SENDER);
                int to = Math.min(pending.size(), from + FILES_PER_SENDER);
                if (from < to) {
                    Path output = Files.createTempFile("storescu-", ".log");
                    senders.add(startStorescu(arca.dicomPort(), pending.subList(from, to), output));
                    outputs.add(output);
                }
            }
            Thread.sleep(MIN_KILL_DELAY_MS + random.nextInt(MAX_KILL_DELAY_MS - MIN_KILL_DELAY_MS));
            arca.kill9();
            for (int i = 0; i < senders.size(); i++) {
                senders.get(i).waitFor();
                for (Path file : acknowledgedFiles(Files.readString(outputs.get(i), StandardCharsets.UTF_8))) {
                    acknowledged.put(file, Boolean.TRUE);
                }
                Files.delete(outputs.get(i));
            }
        }
    }

    private static Process startStorescu(int port, List<Path> files, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "-R", "-aet", Peers.CALLING_AE, "-aec",
                "ARCA", "127.0.0.1", String.valueOf(port)));
        files.forEach(file -> command.add(file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("TCP_NODELAY", "1");
        return builder.start();
    }

    /** Parses storescu -v output: each "Sending file: PATH" is acknowledged by a following Success response. */
    static List<Path> acknowledgedFiles(String output) {
        List<Path> files = new ArrayList<>();
        Path sending = null;
        for (String line : output.split("\n")) {
            int at = line.indexOf("Sending file: ");
            if (at >= 0) {
                sending = Path.of(line.substring(at + "Sending file: ".length()).strip());
            } else if (line.contains("Received Store Response (Success)") && sending != null) {
                files.add(sending);
                sending = null;
            }
        }
        return files;
    }

    private static void assertAcknowledgedFilesExact(Path data, Iterable<Path> files)
            throws IOException, InterruptedException {
        Map<String, String> shaBySopInstance = new HashMap<>();
        for (JsonNode instance : Peers.instances(Peers.listJson(data))) {
            shaBySopInstance.put(instance.get("sopInstanceUid").asText(), instance.get("sha256").asText());
        }
        BlobStore blobs = BlobStore.openReadOnly(DataDirectory.blobsOf(data));
        for (Path file : files) {
            TestInstance sent = TestInstance.read(file);
            String sha256 = shaBySopInstance.get(sent.sopInstanceUid());
            assertThat(sha256).as("acknowledged file %s is listed", file).isNotNull();
            byte[] stored = TestInstance.datasetOfBlob(blobs.pathOf(BlobId.of(sha256)));
            assertThat(stored).as("dataset bytes of %s", file).isEqualTo(sent.dataset());
        }
    }
}
