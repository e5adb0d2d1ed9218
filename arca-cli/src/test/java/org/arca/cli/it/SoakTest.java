package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
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
 * Soak: 32 concurrent associations of Arca's own SCU store distinct instances into
 * {@code arca serve} for {@code -Darca.soak.seconds=S} (default 60), then the node gets SIGTERM
 * and must exit 0. Open file descriptors and threads (from /proc), counted once the staging
 * write-out has finished, must return to their level before the load. Resident memory must stay
 * flat, and every acknowledged instance must be listed, byte-identical and pass {@code arca verify}.
 */
class SoakTest {

    private static final int ASSOCIATIONS = 32;
    /**
     * Allowed growth of open files. A leak per association (32 of them) or per instance (thousands)
     * exceeds it; pools and the JVM's own files do not.
     */
    private static final int FD_MARGIN = 16;
    private static final int WARM_UP_SECONDS = 5;
    private static final int THREAD_MARGIN = 8;
    private static final long RSS_MARGIN_KIB = 64 * 1024;
    private static final String INDEX_FILE = "/index/arca.sqlite";
    private static final Pattern NO_STAGED_BLOBS = Pattern.compile("Staged blobs\\s+0 ");

    @TempDir
    Path temp;

    @Test
    void storeLoadLeaksNothing() throws Exception {
        long seconds = Long.getLong("arca.soak.seconds", 60);
        List<TestInstance> templates = generateTemplates();
        Path data = temp.resolve("arca-data");
        Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();

        try (ArcaProcess arca = ArcaProcess.start(data)) {
            long pid = arca.pid();
            // The warm-up fills the pools that grow under load (index reader connections, association
            // threads) so that the baseline counts them; it is taken once the warm-up's associations are gone.
            storeFor(arca.dicomPort(), templates, Duration.ofSeconds(WARM_UP_SECONDS), acknowledged, new AtomicLong(1));
            awaitStagingWrittenOut(data);
            int threadsBefore = awaitStable(pid, "task");
            awaitStable(pid, "fd");
            List<String> filesBefore = openFiles(pid);
            List<Long> rssKib = new CopyOnWriteArrayList<>();
            Thread sampler = startRssSampler(pid, rssKib);

            storeFor(arca.dicomPort(), templates, Duration.ofSeconds(seconds), acknowledged, new AtomicLong(1_000_000));
            sampler.interrupt();
            sampler.join();

            awaitStagingWrittenOut(data);
            List<String> filesAfter = awaitOtherFilesAtMost(pid, otherFiles(filesBefore).size() + FD_MARGIN);
            List<String> filesAdded = added(filesBefore, filesAfter);
            int threadsAfter = awaitAtMost(pid, "task", threadsBefore + THREAD_MARGIN);
            System.out.printf("SoakTest: %d s, %d instances acknowledged; fds %d -> %d (opened during the load: %s), "
                    + "threads %d -> %d, VmRSS samples (KiB) %s%n", seconds, acknowledged.size(), filesBefore.size(),
                    filesAfter.size(), filesAdded, threadsBefore, threadsAfter, rssKib);
            assertThat(otherFiles(filesAfter).size()).as("open file descriptors after the load, besides the index "
                    + "files; opened during it: %s", filesAdded)
                    .isLessThanOrEqualTo(otherFiles(filesBefore).size() + FD_MARGIN);
            assertThat(indexFiles(filesAfter).size()).as("open file descriptors of the index files after the load")
                    .isLessThanOrEqualTo(indexFiles(filesBefore).size() + 2 * ASSOCIATIONS);
            assertThat(threadsAfter).as("threads after the load").isLessThanOrEqualTo(threadsBefore + THREAD_MARGIN);
            assertRssFlat(rssKib);
            assertThat(arca.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
        }

        assertThat(acknowledged).as("acknowledged instances").isNotEmpty();
        assertAcknowledgedExact(data, acknowledged);
        ExternalTool.Result verify = Peers.arca("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    private List<TestInstance> generateTemplates() throws IOException, InterruptedException {
        Path input = temp.resolve("input");
        Peers.generate("sr", "--count", String.valueOf(ASSOCIATIONS), "--out", input.toString());
        return TestInstance.readAll(input);
    }

    /** Runs one sender per association until the time is up; each stores copies of its template with new UIDs. */
    private static void storeFor(int port, List<TestInstance> templates, Duration duration,
            Map<String, byte[]> acknowledged, AtomicLong serial) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < ASSOCIATIONS; i++) {
            TestInstance template = templates.get(i % templates.size());
            Thread sender = new Thread(() -> {
                try {
                    sendUntil(port, template, deadline, acknowledged, serial);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "soak-sender-" + i);
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        assertThat(failures).as("sender failures").isEmpty();
    }

    private static void sendUntil(int port, TestInstance template, long deadline, Map<String, byte[]> acknowledged,
            AtomicLong serial) throws IOException {
        Association association = Scu.connect(port, template.sopClassUid(), template.transferSyntaxUid());
        try {
            while (System.nanoTime() < deadline) {
                TestInstance instance = withNewUid(template, serial.getAndIncrement());
                DimseResponse response = association.cstore(instance.sopClassUid(), instance.sopInstanceUid(),
                        instance.transferSyntaxUid(), new ByteArrayInputStream(instance.dataset()), 0);
                assertThat(response.status()).as("C-STORE status of %s", instance.sopInstanceUid())
                        .isEqualTo(Status.SUCCESS);
                acknowledged.put(instance.sopInstanceUid(), instance.dataset());
            }
            association.release();
        } catch (IOException | RuntimeException | AssertionError e) {
            association.abort();
            throw e;
        }
    }

    /** Returns the template with its SOP Instance UID replaced, in place, by a new UID of the same length. */
    static TestInstance withNewUid(TestInstance template, long serial) {
        String oldUid = template.sopInstanceUid();
        String digits = Long.toString(serial);
        String prefix = "2.25.1";
        int padding = oldUid.length() - prefix.length() - digits.length();
        if (padding < 0) {
            throw new IllegalArgumentException("SOP Instance UID " + oldUid + " is too short to vary");
        }
        String newUid = prefix + "0".repeat(padding) + digits;
        byte[] dataset = template.dataset().clone();
        int at = indexOf(dataset, oldUid.getBytes(StandardCharsets.US_ASCII));
        if (at < 0) {
            throw new IllegalArgumentException("SOP Instance UID " + oldUid + " not found in the dataset");
        }
        System.arraycopy(newUid.getBytes(StandardCharsets.US_ASCII), 0, dataset, at, newUid.length());
        return new TestInstance(template.sopClassUid(), newUid, template.transferSyntaxUid(), dataset);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static int countEntries(long pid, String directory) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc", String.valueOf(pid), directory))) {
            return (int) entries.count();
        }
    }

    /**
     * Waits, for up to 3 minutes, until {@code arca status} shows no staged blob. While the write-out
     * works through its backlog, it keeps the packs it reads and the directories it syncs open, so
     * counting files before that would count the backlog, not a leak.
     */
    private static void awaitStagingWrittenOut(Path data) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String output = "";
        while (System.nanoTime() < deadline) {
            output = Peers.arca("status", "--data", data.toString()).output();
            if (NO_STAGED_BLOBS.matcher(output).find()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The staging write-out did not finish within 3 minutes:\n" + output);
    }

    /** Returns what the open file descriptors of the process point to, such as files, sockets and pipes. */
    private static List<String> openFiles(long pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path entry : entries.toList()) {
                try {
                    targets.add(Files.readSymbolicLink(entry).toString());
                } catch (IOException e) {
                    // The descriptor was closed between the listing and the read.
                }
            }
        }
        return targets;
    }

    /**
     * Polls, for up to 30 s, until at most {@code limit} open files are not index files, because
     * closing associations end asynchronously. Returns all open files then.
     */
    private static List<String> awaitOtherFilesAtMost(long pid, int limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> files = openFiles(pid);
        while (otherFiles(files).size() > limit && System.nanoTime() < deadline) {
            Thread.sleep(200);
            files = openFiles(pid);
        }
        return files;
    }

    /**
     * Returns the descriptors of the SQLite index files. SQLite keeps the descriptor of a closed
     * connection open while another connection holds a lock on the file, and reuses it for the next
     * connection. So their number follows the peak of concurrent reads, at most one per sender, and
     * each connection has the database and its WAL open.
     */
    private static List<String> indexFiles(List<String> files) {
        return files.stream().filter(file -> file.contains(INDEX_FILE)).toList();
    }

    private static List<String> otherFiles(List<String> files) {
        return files.stream().filter(file -> !file.contains(INDEX_FILE)).toList();
    }

    /** Returns the entries of {@code after} beyond those of {@code before}, each as often as it is extra. */
    private static List<String> added(List<String> before, List<String> after) {
        List<String> extra = new ArrayList<>(after);
        for (String target : before) {
            extra.remove(target);
        }
        return extra;
    }

    /** Returns the count once it has not changed for one second, or after 30 s. */
    private static int awaitStable(long pid, String directory) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int count = countEntries(pid, directory);
        int unchangedPolls = 0;
        while (unchangedPolls < 5 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            int next = countEntries(pid, directory);
            unchangedPolls = next == count ? unchangedPolls + 1 : 0;
            count = next;
        }
        return count;
    }

    /** Polls, for up to 30 s, until the count drops to the limit, because closing associations end asynchronously. */
    private static int awaitAtMost(long pid, String directory, int limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int count = countEntries(pid, directory);
        while (count > limit && System.nanoTime() < deadline) {
            Thread.sleep(200);
            count = countEntries(pid, directory);
        }
        return count;
    }

    private static Thread startRssSampler(long pid, List<Long> rssKib) {
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    rssKib.add(readRssKib(pid));
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new IllegalStateException("Reading VmRSS of process " + pid + " failed", e);
            }
        }, "rss-sampler");
        sampler.start();
        return sampler;
    }

    private static long readRssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("/proc/" + pid + "/status has no VmRSS line");
    }

    /** The peak of the last third of the samples may exceed the peak of the first third only by the margin. */
    private static void assertRssFlat(List<Long> rssKib) {
        assertThat(rssKib).as("VmRSS samples").hasSizeGreaterThanOrEqualTo(3);
        int third = rssKib.size() / 3;
        long early = rssKib.subList(0, third).stream().mapToLong(Long::longValue).max().orElseThrow();
        long late = rssKib.subList(rssKib.size() - third, rssKib.size()).stream().mapToLong(Long::longValue).max()
                .orElseThrow();
        assertThat(late).as("peak VmRSS (KiB) of the last third of the load, first third peaked at " + early)
                .isLessThanOrEqualTo(early + early / 4 + RSS_MARGIN_KIB);
    }

    private static void assertAcknowledgedExact(Path data, Map<String, byte[]> acknowledged)
            throws IOException, InterruptedException {
        Map<String, String> shaBySopInstance = new HashMap<>();
        for (JsonNode instance : Peers.instances(Peers.listJson(data))) {
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
