package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.arca.dicom.association.Association;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `arca serve` as an operator and a modality meet it: start, echo, AE title rules, stop. */
class ServeLifecycleTest {

    @TempDir
    Path temp;

    @Test
    void echoSucceedsAndSigtermExitsZero() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            ExternalTool.Result echo = Peers.echoscu(arca, "ECHOSCU", "ARCA");
            assertThat(echo.exitCode()).as(echo.output()).isZero();
            assertThat(echo.output()).contains("Received Echo Response (Success)");

            assertThat(arca.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
            assertThat(arca.healthStatus()).as("health after stop").isEqualTo(-1);
            assertThat(arca.awaitLog("Arca stopped.", Duration.ofSeconds(10))).contains("Arca stopped.");
        }

        try (ArcaProcess again = ArcaProcess.start(data)) {
            assertThat(again.healthStatus()).as("health after restart on the same data").isEqualTo(200);
        }
    }

    @Test
    void sigtermDuringStoresKeepsAcknowledged() throws Exception {
        Path input = temp.resolve("input");
        Peers.generate("ct", "--slices", "200", "--out", input.toString());
        List<TestInstance> slices = TestInstance.readAll(input);
        Path data = temp.resolve("arca-data");
        Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();

        try (ArcaProcess arca = ArcaProcess.start(data)) {
            Thread sender = new Thread(() -> sendAll(arca.dicomPort(), slices, acknowledged), "sender");
            sender.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (acknowledged.size() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(arca.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM mid-stream").isZero();
            sender.join(Duration.ofSeconds(60).toMillis());
        }

        assertThat(acknowledged.size()).as("stores acknowledged before the stop").isBetween(20, slices.size() - 1);
        Map<String, String> shaBySopInstance = new HashMap<>();
        for (JsonNode instance : Peers.instances(Peers.listJson(data))) {
            shaBySopInstance.put(instance.get("sopInstanceUid").asText(), instance.get("sha256").asText());
        }
        BlobStore blobs = BlobStore.openReadOnly(DataDirectory.blobsOf(data));
        for (Map.Entry<String, byte[]> entry : acknowledged.entrySet()) {
            String sha256 = shaBySopInstance.get(entry.getKey());
            assertThat(sha256).as("acknowledged SOP Instance %s is listed", entry.getKey()).isNotNull();
            assertThat(TestInstance.datasetOfBlob(blobs.pathOf(BlobId.of(sha256))))
                    .as("dataset bytes of %s", entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    /** Sends on one association until Arca refuses or closes it, recording each Success. */
    private static void sendAll(int port, List<TestInstance> slices, Map<String, byte[]> acknowledged) {
        TestInstance first = slices.get(0);
        try {
            Association association = Scu.connect(port, first.sopClassUid(), first.transferSyntaxUid());
            try {
                for (TestInstance slice : slices) {
                    DimseResponse response = association.cstore(slice.sopClassUid(), slice.sopInstanceUid(),
                            slice.transferSyntaxUid(), new ByteArrayInputStream(slice.dataset()), 0);
                    if (response.status() != Status.SUCCESS) {
                        break;
                    }
                    acknowledged.put(slice.sopInstanceUid(), slice.dataset());
                }
                association.release();
            } finally {
                association.abort();
            }
        } catch (IOException | RuntimeException e) {
            // The node closed the association while stopping; what was acknowledged is recorded.
        }
    }

    @Test
    void unknownCallingAeIsRejected() throws Exception {
        try (ArcaProcess arca = ArcaProcess.start(temp.resolve("arca-data"), "--allow-calling-ae", "CT1,MR1")) {
            ExternalTool.Result allowed = Peers.echoscu(arca, "CT1", "ARCA");
            assertThat(allowed.exitCode()).as(allowed.output()).isZero();

            ExternalTool.Result stranger = Peers.echoscu(arca, "STRANGER", "ARCA");
            assertThat(stranger.exitCode()).isNotZero();
            assertThat(stranger.output()).contains("Calling AE Title Not Recognized");
            assertThat(arca.awaitLog("STRANGER", Duration.ofSeconds(10))).contains("STRANGER");
        }
    }

    @Test
    void unknownCalledAeIsRejected() throws Exception {
        try (ArcaProcess arca = ArcaProcess.start(temp.resolve("arca-data"))) {
            ExternalTool.Result result = Peers.echoscu(arca, "ECHOSCU", "NOT_ARCA");
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.output()).contains("Called AE Title Not Recognized");
            assertThat(arca.healthStatus()).isEqualTo(200);
        }
    }

    @Test
    void unknownConfigKeyStopsStartWithItsName() throws Exception {
        Path config = Files.writeString(temp.resolve("arca.yaml"), "dicom:\n  aeTitel: ARCA\n");
        ExternalTool.Result result = Peers.arca("serve", "--config", config.toString(), "--data",
                temp.resolve("arca-data").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("unknown key 'dicom.aeTitel'");
    }
}
