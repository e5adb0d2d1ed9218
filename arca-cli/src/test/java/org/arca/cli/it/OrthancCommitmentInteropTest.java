package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.testing.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orthanc 1.10 (Debian) as the Storage Commitment SCU: a REST call makes it send the
 * N-ACTION-RQ, and it receives the report on a new association that Arca opens to its DICOM port.
 */
class OrthancCommitmentInteropTest {

    private static final String ORTHANC = "/usr/sbin/Orthanc";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void orthancReceivesSuccessAndFailure() throws Exception {
        Path ct = temp.resolve("ct");
        Peers.generate("ct", "--slices", "2", "--matrix", "64", "--out", ct.toString());
        List<TestInstance> instances = TestInstance.readAll(ct);
        int[] orthancPorts = TestPorts.freePorts(2);
        int orthancDicomPort = orthancPorts[0];
        int orthancHttpPort = orthancPorts[1];
        Path arcaConfig = temp.resolve("arca.yaml");
        Files.writeString(arcaConfig, """
                dicom:
                  moveDestinations:
                    - aeTitle: ORTHANC
                      host: 127.0.0.1
                      port: %d
                """.formatted(orthancDicomPort));

        try (ArcaProcess arca = ArcaProcess.start(temp.resolve("arca-data"), "--config", arcaConfig.toString());
                OrthancProcess orthanc = OrthancProcess.start(temp.resolve("orthanc"), orthancDicomPort,
                        orthancHttpPort, arca.dicomPort())) {
            for (TestInstance instance : instances) {
                assertThat(Scu.store(arca.dicomPort(), instance).status()).isEqualTo(Status.SUCCESS);
            }
            ObjectNode body = JSON.createObjectNode();
            ArrayNode references = body.putArray("DicomInstances");
            for (TestInstance instance : instances) {
                references.addObject().put("SOPClassUID", instance.sopClassUid())
                        .put("SOPInstanceUID", instance.sopInstanceUid());
            }
            references.addObject().put("SOPClassUID", instances.get(0).sopClassUid())
                    .put("SOPInstanceUID", "1.2.826.0.1.3680043.8.498.404");

            JsonNode started = orthanc.post("/modalities/arca/storage-commitment", body);
            JsonNode report = orthanc.awaitCommitment(started.get("ID").asText(), TIMEOUT);

            assertThat(report.get("Status").asText()).as(report + "\n" + arca.log()).isEqualTo("Failure");
            assertThat(report.get("Success")).hasSize(2);
            assertThat(report.get("Failures")).hasSize(1);
            JsonNode failure = report.get("Failures").get(0);
            assertThat(failure.get("SOPInstanceUID").asText()).isEqualTo("1.2.826.0.1.3680043.8.498.404");
            assertThat(failure.get("FailureReason").asInt()).isEqualTo(0x0112);
            assertThat(arca.log()).contains("ARCA->ORTHANC");
        }
    }

    /** An Orthanc process with its own configuration, storage and ports on 127.0.0.1. */
    private static final class OrthancProcess implements AutoCloseable {

        private final Process process;
        private final Path logFile;
        private final int httpPort;

        private OrthancProcess(Process process, Path logFile, int httpPort) {
            this.process = process;
            this.logFile = logFile;
            this.httpPort = httpPort;
        }

        static OrthancProcess start(Path directory, int dicomPort, int httpPort, int arcaPort)
                throws IOException, InterruptedException {
            Files.createDirectories(directory);
            ObjectNode config = JSON.createObjectNode()
                    .put("Name", "arca-interop")
                    .put("StorageDirectory", directory.resolve("storage").toString())
                    .put("IndexDirectory", directory.resolve("index").toString())
                    .put("DicomAet", "ORTHANC")
                    .put("DicomPort", dicomPort)
                    .put("HttpPort", httpPort)
                    .put("RemoteAccessAllowed", false)
                    .put("AuthenticationEnabled", false)
                    .put("DicomServerEnabled", true);
            config.putArray("Plugins");
            config.putObject("DicomModalities").putArray("arca").add("ARCA").add("127.0.0.1").add(arcaPort);
            Path configFile = directory.resolve("orthanc.json");
            JSON.writeValue(configFile.toFile(), config);
            Path logFile = directory.resolve("orthanc.log");
            ProcessBuilder builder = new ProcessBuilder(ORTHANC, "--verbose", configFile.toString())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().put("TCP_NODELAY", "1");
            OrthancProcess orthanc = new OrthancProcess(builder.start(), logFile, httpPort);
            orthanc.awaitReady();
            return orthanc;
        }

        private void awaitReady() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("Orthanc exited during start:\n" + Files.readString(logFile));
                }
                try {
                    get("/system");
                    return;
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            throw new AssertionError("Orthanc did not respond on HTTP within " + TIMEOUT);
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri(path))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        }

        /** Polls the storage commitment report until it is no longer pending. */
        JsonNode awaitCommitment(String transactionUid, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode report = get("/storage-commitment/" + transactionUid);
            while (report.get("Status").asText().equals("Pending") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                report = get("/storage-commitment/" + transactionUid);
            }
            return report;
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + httpPort + path);
        }

        private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("Orthanc responded with HTTP " + response.statusCode() + ": " + response.body()
                        + "\n" + Files.readString(logFile));
            }
            return JSON.readTree(response.body());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
