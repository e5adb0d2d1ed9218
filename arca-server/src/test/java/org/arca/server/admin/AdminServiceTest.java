package org.arca.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Stream;
import org.arca.server.config.ArcaConfig;
import org.arca.server.config.ConfigException;
import org.arca.server.dicom.WriteGate;
import org.arca.server.reconcile.ScheduledReconciliation;
import org.arca.store.DataDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener on a real data directory: binding, token, authentication, endpoint file. */
class AdminServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private DataDirectory data;
    private WriteGate writeGate;
    private ScheduledReconciliation reconciliation;

    @BeforeEach
    void openData() throws Exception {
        data = DataDirectory.openForWriting(temp.resolve("arca-data"), Clock.systemUTC());
        writeGate = new WriteGate();
        reconciliation = ScheduledReconciliation.start(data, new ArcaConfig.Reconcile(0, false, 7), Clock.systemUTC());
    }

    @AfterEach
    void closeData() throws Exception {
        reconciliation.close();
        data.close();
    }

    /** POST /reconcile starts a run on the node, whose summary GET /status then shows. */
    @Test
    void reconcileStartsRunThatStatusShows() throws Exception {
        try (AdminService admin = start()) {
            AdminClientForTest client = new AdminClientForTest(admin.port());

            HttpResponse<String> started = client.send("POST", "/reconcile", token(), "{}");

            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
            assertThat(JSON.readTree(started.body()).get("started").asBoolean()).isTrue();
            JsonNode last = awaitLastReconcile(client);
            assertThat(last.get("mismatchesFound").asLong()).isZero();
            assertThat(last.get("repair").asBoolean()).isFalse();
        }
    }

    /** Polls GET /status until it shows a finished reconciliation, for at most 30 s. */
    private JsonNode awaitLastReconcile(AdminClientForTest client) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode last = JSON.readTree(client.send("GET", "/status", token(), null).body()).get("lastReconcile");
            if (last != null && !last.isNull()) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("GET /status showed no finished reconciliation within 30 s");
    }

    @Test
    void missingTokenIsRejectedAndLogged() throws Exception {
        try (AdminService admin = start(); AdminLogCapture log = new AdminLogCapture()) {
            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("GET", "/status", null, null);

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).get("error").asText()).contains("bearer token");
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains("GET /status").contains("127.0.0.1").contains("missing or wrong bearer token");
        }
    }

    @Test
    void wrongTokenIsRejectedAndNotLogged() throws Exception {
        String wrong = "0".repeat(AdminToken.TOKEN_HEX_LENGTH);
        try (AdminService admin = start(); AdminLogCapture log = new AdminLogCapture()) {
            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("POST", "/delete", wrong,
                    "{\"level\":\"STUDY\",\"uid\":\"1.2.3\",\"reason\":\"test\"}");

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(log.messages(Level.WARN)).singleElement().asString().contains("POST /delete")
                    .doesNotContain(wrong);
        }
    }

    @Test
    void tokenWithoutBearerIsRejected() throws Exception {
        try (AdminService admin = start()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/status"))
                    .header("Authorization", token()).build();

            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void statusWithTokenDescribesNode() throws Exception {
        try (AdminService admin = start()) {
            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("GET", "/status", token(), null);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode status = JSON.readTree(response.body());
            assertThat(status.get("dataDirectory").asText()).isEqualTo(data.root().toAbsolutePath().toString());
            assertThat(status.get("aeTitle").asText()).isEqualTo("ARCA");
            assertThat(status.get("dicomPort").asInt()).isEqualTo(11112);
            assertThat(status.get("acceptingWrites").asBoolean()).isTrue();
            assertThat(status.get("journalLastSequence").asLong()).isEqualTo(data.journal().lastSequence());
            assertThat(status.get("indexLastAppliedSequence").asLong())
                    .isEqualTo(data.index().lastAppliedJournalSequence());
            assertThat(status.get("counts").get("studies").asLong()).isZero();
            assertThat(status.get("lastReconcile").isNull()).as("no reconcile report yet").isTrue();
        }
    }

    @Test
    void statusSummarisesLastReconcile() throws Exception {
        Path report = org.arca.store.reconcile.LastReconcile.pathOf(data.root());
        Files.createDirectories(report.getParent());
        Files.writeString(report, """
                {"magic": "arca-reconcile-report", "formatVersion": 1, "startedAtMillis": 1000,
                 "finishedAtMillis": 2000, "repair": true, "found": {"BLOB_ORPHANED": 2, "INDEX_ROW_MISSING": 1},
                 "remaining": {"BLOB_ORPHANED": 0, "INDEX_ROW_MISSING": 1}, "indexRebuildNeeded": true}
                """);
        try (AdminService admin = start()) {
            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("GET", "/status", token(), null);

            JsonNode reconcile = JSON.readTree(response.body()).get("lastReconcile");
            assertThat(reconcile.get("finished").asText()).isEqualTo("1970-01-01T00:00:02Z");
            assertThat(reconcile.get("mismatchesFound").asLong()).isEqualTo(3);
            assertThat(reconcile.get("mismatchesRemaining").asLong()).isEqualTo(1);
            assertThat(reconcile.get("indexRebuildNeeded").asBoolean()).isTrue();
            assertThat(reconcile.get("error").isNull()).isTrue();
        }
    }

    @Test
    void deleteOfUnknownStudyIsNotFound() throws Exception {
        try (AdminService admin = start()) {
            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("POST", "/delete", token(),
                    "{\"level\":\"STUDY\",\"uid\":\"1.2.3.999\",\"reason\":\"test\"}");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).get("error").asText()).contains("1.2.3.999");
        }
    }

    @Test
    void tokenFileIsOwnerOnlyAndKept() throws Exception {
        Path tokenFile = AdminToken.tokenFileOf(data.root());
        String first;
        try (AdminService admin = start()) {
            first = Files.readString(tokenFile);
        }
        try (AdminService again = start()) {
            assertThat(Files.readString(tokenFile)).as("token after restart").isEqualTo(first);
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void groupReadableTokenFailsStart() throws Exception {
        try (AdminService admin = start()) {
            // The first start creates the token file.
        }
        Path tokenFile = AdminToken.tokenFileOf(data.root());
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(this::start)
                .isInstanceOf(AdminTokenException.class)
                .hasMessageContaining(tokenFile.toString())
                .hasMessageContaining("chmod 600");
    }

    @Test
    void listenerIsBoundToLoopback() throws Exception {
        try (AdminService admin = start()) {
            InetSocketAddress bound = (InetSocketAddress) admin.localAddress();

            assertThat(bound.getAddress().isLoopbackAddress()).as("bound to %s", bound).isTrue();
            assertThat(bound.getAddress().isAnyLocalAddress()).isFalse();
        }
    }

    @Test
    void nonLoopbackBindIsRejected() {
        assertThatThrownBy(() -> AdminService.start("0.0.0.0", 0, data, writeGate, facts(), reconciliation))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.bindAddress")
                .hasMessageContaining("0.0.0.0");
    }

    @Test
    void loopbackCheckOfRemoteAddress() {
        assertThat(AdminHandler.isLoopback(new InetSocketAddress("127.0.0.1", 40000))).isTrue();
        assertThat(AdminHandler.isLoopback(new InetSocketAddress("::1", 40000))).isTrue();
        assertThat(AdminHandler.isLoopback(new InetSocketAddress("192.0.2.7", 40000))).isFalse();
        assertThat(AdminHandler.isLoopback(null)).isFalse();
    }

    @Test
    void endpointFileWrittenAndRemoved() throws Exception {
        Path endpointFile = AdminEndpoint.fileOf(data.root());
        try (AdminService admin = start()) {
            AdminEndpoint endpoint = AdminEndpoint.read(data.root());

            assertThat(endpoint.format()).isEqualTo(AdminEndpoint.FORMAT);
            assertThat(endpoint.formatVersion()).isEqualTo(AdminEndpoint.FORMAT_VERSION);
            assertThat(endpoint.host()).isEqualTo("127.0.0.1");
            assertThat(endpoint.port()).isEqualTo(admin.port());
            assertThat(endpoint.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(Instant.parse(endpoint.started())).isBeforeOrEqualTo(Instant.now());
        }

        assertThat(endpointFile).doesNotExist();
        try (Stream<Path> files = Files.list(endpointFile.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("token");
        }
    }

    @Test
    void unknownEndpointFormatIsRejected() throws Exception {
        try (AdminService admin = start()) {
            Path file = AdminEndpoint.fileOf(data.root());
            Files.writeString(file, Files.readString(file).replace("\"formatVersion\" : 1", "\"formatVersion\" : 9"));

            assertThatThrownBy(() -> AdminEndpoint.read(data.root())).hasMessageContaining("version 9");
        }
    }

    @Test
    void writeRejectedWhileStopping() throws Exception {
        try (AdminService admin = start()) {
            writeGate.closeAndAwait(0);

            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("POST", "/delete", token(),
                    "{\"level\":\"STUDY\",\"uid\":\"1.2.3\",\"reason\":\"test\"}");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).get("error").asText()).contains("stopping");
        }
    }

    @Test
    void deleteWithoutReasonIsBadRequest() throws Exception {
        try (AdminService admin = start()) {
            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("POST", "/delete", token(),
                    "{\"level\":\"STUDY\",\"uid\":\"1.2.3\"}");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText()).contains("'reason'");
        }
    }

    @Test
    void unknownFieldIsBadRequest() throws Exception {
        try (AdminService admin = start()) {
            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("POST", "/undelete", token(),
                    "{\"level\":\"STUDY\",\"uid\":\"1.2.3\",\"force\":true}");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText()).contains("force");
        }
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        try (AdminService admin = start()) {
            HttpResponse<String> response = new AdminClientForTest(admin.port()).send("GET", "/nothing", token(),
                    null);

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).get("error").asText()).contains("GET /status");
        }
    }

    private AdminService start() throws Exception {
        return AdminService.start("127.0.0.1", 0, data, writeGate, facts(), reconciliation);
    }

    private static NodeStatus.NodeFacts facts() {
        return new NodeStatus.NodeFacts("ARCA", 11112, () -> 8080, Instant.now());
    }

    private String token() throws Exception {
        return AdminToken.readForClient(data.root());
    }
}
