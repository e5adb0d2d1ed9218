package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.ingest.FaultInjection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node halted between the blob publish and the journal append leaves one orphaned blob:
 * {@code arca reconcile} reports exactly that blob, {@code --repair} quarantines it, and every
 * instance acknowledged before stays byte-identical and verifies.
 */
class ReconcileAfterCrashTest {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void orphanFromCrashIsQuarantined() throws Exception {
        Path input = temp.resolve("ct");
        Peers.generate("ct", "--slices", "3", "--out", input.toString());
        List<Path> files;
        try (Stream<Path> listing = Files.walk(input)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSize(3);
        Path data = temp.resolve("arca-data");

        // 1. Two instances are acknowledged by a healthy node.
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            ExternalTool.Result stored = Peers.storescu(arca, List.of(), files.get(0), files.get(1));
            assertThat(stored.exitCode()).as(stored.output()).isZero();
            assertThat(arca.terminate(EXIT_TIMEOUT)).isZero();
        }
        Map<String, byte[]> acknowledged = new HashMap<>();
        for (Path file : files.subList(0, 2)) {
            TestInstance instance = TestInstance.read(file);
            acknowledged.put(instance.sopInstanceUid(), instance.dataset());
        }

        // 2. The third store halts the node after its blob is durable, before its journal record.
        try (ArcaProcess arca = ArcaProcess.startWithJvmOptions(data,
                List.of("-D" + FaultInjection.PROPERTY + "=" + FaultInjection.HALT_AFTER_BLOB_PUBLISH))) {
            ExternalTool.Result crashed = Peers.storescu(arca, List.of(), files.get(2));
            assertThat(crashed.exitCode()).as("storescu got no success: %s", crashed.output()).isNotZero();
            assertThat(arca.awaitExit(EXIT_TIMEOUT)).isEqualTo(FaultInjection.HALT_STATUS);
        }

        // 3. A normal start recovers; reconcile and verify refuse while the node runs.
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            ExternalTool.Result refused = Peers.arca("reconcile", "--data", data.toString());
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("in use by a running Arca node").contains("Stop the node");
            ExternalTool.Result verifyRejected = Peers.arca("verify", "--data", data.toString());
            assertThat(verifyRejected.exitCode()).as(verifyRejected.output()).isEqualTo(1);
            assertThat(verifyRejected.output()).contains("'arca verify' runs only while no node runs")
                    .contains("Stop the node");

            // The running node reconciles on request, and its status shows the result.
            ExternalTool.Result withRepair = Peers.arca("reconcile", "--data", data.toString(), "--live", "--repair");
            assertThat(withRepair.exitCode()).as(withRepair.output()).isEqualTo(1);
            assertThat(withRepair.output()).contains("leave out --repair");
            ExternalTool.Result live = Peers.arca("reconcile", "--data", data.toString(), "--live");
            assertThat(live.exitCode()).as(live.output()).isZero();
            assertThat(live.output()).contains("Started a reconciliation");
            assertThat(awaitLastReconcile(data)).contains("(report only)");
            assertThat(arca.terminate(EXIT_TIMEOUT)).isZero();
        }
        String orphan = theOnlyUnlistedBlob(data);

        // 4. Reconcile reports exactly that orphan.
        ExternalTool.Result report = Peers.arca("reconcile", "--data", data.toString());
        assertThat(report.exitCode()).as(report.output()).isEqualTo(1);
        assertThat(report.output()).contains("BLOB_ORPHANED blobs no journal record references: 1 found, 1 remaining")
                .contains(orphan).contains("MISMATCHES: 1 remain of 1 found.");

        // 5. Repair quarantines it, and a second run is clean.
        ExternalTool.Result repair = Peers.arca("reconcile", "--data", data.toString(), "--repair");
        assertThat(repair.exitCode()).as(repair.output()).isZero();
        assertThat(DataDirectory.blobsOf(data).resolve("quarantine").resolve(orphan)).exists();
        assertThat(DataDirectory.blobsOf(data).resolve("quarantine").resolve(orphan + ".json")).exists();
        ExternalTool.Result clean = Peers.arca("reconcile", "--data", data.toString());
        assertThat(clean.exitCode()).as(clean.output()).isZero();
        assertThat(clean.output()).contains("Reconciled: no mismatch.");

        // 6. What was acknowledged is untouched and verifies.
        assertAcknowledgedAreExact(data, acknowledged);
        ExternalTool.Result verify = Peers.arca("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    /** Polls 'arca status' until its Last reconcile row shows a finished run, for at most 60 s; returns the row. */
    private static String awaitLastReconcile(Path data) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String output = Peers.arca("status", "--data", data.toString()).output();
            for (String line : output.split("\n")) {
                if (line.startsWith("Last reconcile") && line.contains("finished")) {
                    return line;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("arca status showed no finished reconciliation within 60 s");
    }

    /** Returns the blob that the listing of stored versions does not name; fails unless there is exactly one. */
    private static String theOnlyUnlistedBlob(Path data) throws Exception {
        Set<String> listed = new HashSet<>();
        for (JsonNode instance : Peers.instances(Peers.listJson(data))) {
            listed.add(instance.get("sha256").asText());
        }
        Set<String> unlisted = new HashSet<>();
        try (Stream<BlobId> blobs = BlobStore.openReadOnly(DataDirectory.blobsOf(data)).list()) {
            blobs.map(BlobId::hex).filter(hex -> !listed.contains(hex)).forEach(unlisted::add);
        }
        assertThat(listed).as("listed stored versions").hasSize(2);
        assertThat(unlisted).as("blobs no listed version names").hasSize(1);
        return unlisted.iterator().next();
    }

    private static void assertAcknowledgedAreExact(Path data, Map<String, byte[]> acknowledged) throws Exception {
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
