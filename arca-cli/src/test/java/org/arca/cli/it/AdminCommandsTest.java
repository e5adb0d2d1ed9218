package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.arca.dicom.testing.TestPorts;
import org.arca.server.admin.AdminEndpoint;
import org.arca.server.admin.AdminToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin commands against `arca serve` as a process: how they find the node, and the
 * messages when there is none or the token does not match.
 */
class AdminCommandsTest {

    @TempDir
    Path temp;

    @Test
    void statusWithoutNodeNamesServe() throws Exception {
        Path data = temp.resolve("arca-data");

        ExternalTool.Result status = Peers.arca("status", "--data", data.toString());

        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.output()).contains("No Arca node is running on the data directory " + data)
                .contains("arca serve --data " + data);
    }

    @Test
    void statusDuringWarmUpSaysWait() throws Exception {
        Path data = temp.resolve("arca-data");
        Files.createDirectories(data.resolve("warm-up"));

        ExternalTool.Result status = Peers.arca("status", "--data", data.toString());

        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.output()).contains("No Arca node responds on the data directory " + data + " yet")
                .contains("probably warming up");
    }

    /** A process that holds arca.lock without an endpoint file yet is a node between its warm-up and its listeners. */
    @Test
    void statusWhileLockHeldSaysStarting() throws Exception {
        Path data = Files.createDirectories(temp.resolve("arca-data"));
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(data.resolve("arca.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock lock = channel.lock()) {
            ExternalTool.Result status = Peers.arca("status", "--data", data.toString());

            assertThat(status.exitCode()).isEqualTo(1);
            assertThat(status.output()).contains("No Arca node responds on the data directory " + data + " yet")
                    .contains("probably starting");
        }

        assertThat(Peers.arca("status", "--data", data.toString()).output()).as("status once the lock is free")
                .contains("No Arca node is running");
    }

    /** --admin-port fixes the port, so that a firewall rule or a tunnel can name it. */
    @Test
    void adminPortOptionSetsPort() throws Exception {
        Path data = temp.resolve("arca-data");
        int adminPort = TestPorts.freePorts(1)[0];
        try (ArcaProcess arca = ArcaProcess.start(data, "--admin-port", String.valueOf(adminPort))) {
            // ArcaProcess waits for GET /health, which responds only once the admin API listens.
            assertThat(AdminEndpoint.read(data).port()).isEqualTo(adminPort);

            ExternalTool.Result status = Peers.arca("status", "--data", data.toString());
            assertThat(status.exitCode()).as(status.output()).isZero();

            assertThat(arca.terminate(Duration.ofSeconds(60))).isZero();
        }
    }

    @Test
    void adminPortOutOfRangeIsRejected() throws Exception {
        ExternalTool.Result serve = Peers.arca("serve", "--data", temp.resolve("arca-data").toString(),
                "--no-warm-up", "--admin-port", "70000");

        assertThat(serve.exitCode()).isNotZero();
        assertThat(serve.output()).contains("admin.port (--admin-port)").contains("70000");
    }

    /** A port that another process uses stops the start with the option that changes it. */
    @Test
    void adminPortInUseNamesOption() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            // With the warm-up on: the port check comes before it, so the start fails at once.
            ExternalTool.Result serve = Peers.arca("serve", "--data", temp.resolve("arca-data").toString(),
                    "--bind", "127.0.0.1", "--dicom-port", "0", "--http-port", "0",
                    "--admin-port", String.valueOf(taken.getLocalPort()));

            assertThat(serve.exitCode()).isNotZero();
            assertThat(serve.output()).contains("The admin API port 127.0.0.1:" + taken.getLocalPort()
                    + " is not available").contains("--admin-port or admin.port");
            assertThat(serve.output()).as("no warm-up before the failure").doesNotContain("Warming up");
            assertThat(serve.output()).as("no journal recovery before the failure")
                    .doesNotContain("Recovered the journal");
        }
    }

    /** A second node on the data directory of a running one gets the lock's message, not the port's. */
    @Test
    void secondNodeOnSameDataNamesLock() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            ExternalTool.Result serve = Peers.arca("serve", "--data", data.toString(), "--no-warm-up",
                    "--bind", "127.0.0.1", "--dicom-port", String.valueOf(arca.dicomPort()));

            assertThat(serve.exitCode()).isNotZero();
            assertThat(serve.output()).contains("is in use by another Arca process");
            assertThat(serve.output()).doesNotContain("is not available");
        }
    }

    @Test
    void statusShowsRunningNode() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            ExternalTool.Result status = Peers.arca("status", "--data", data.toString());

            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.output()).contains("ARCA on port " + arca.dicomPort())
                    .containsPattern("HTTP\\s+port " + arca.httpPort())
                    .containsPattern("Admin API\\s+127\\.0\\.0\\.1:" + AdminEndpoint.read(data).port())
                    .containsPattern("Data directory\\s+" + data)
                    .containsPattern("Journal last sequence\\s+\\d+")
                    .containsPattern("Staged blobs\\s+0 \\(0 bytes\\) not yet in their own file")
                    .containsPattern("Last reconcile\\s+none recorded")
                    .containsPattern("Blob damage findings\\s+none recorded");
            assertThat(AdminEndpoint.read(data).pid()).isEqualTo(arca.pid());

            assertThat(arca.terminate(Duration.ofSeconds(60))).isZero();
        }

        assertThat(AdminEndpoint.fileOf(data)).as("endpoint file after a graceful stop").doesNotExist();
        assertThat(Peers.arca("status", "--data", data.toString()).output()).contains("No Arca node is running");
    }

    @Test
    void staleEndpointAfterKillNamesServe() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            arca.kill9();
        }
        assertThat(AdminEndpoint.fileOf(data)).as("endpoint file after kill -9").exists();

        ExternalTool.Result status = Peers.arca("status", "--data", data.toString());

        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.output()).contains("nothing listens on 127.0.0.1:")
                .contains("arca serve --data " + data);
    }

    @Test
    void replacedTokenIsRejected() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            Path tokenFile = AdminToken.tokenFileOf(data);
            String other = "f".repeat(64);
            Files.writeString(tokenFile, other);

            ExternalTool.Result status = Peers.arca("status", "--data", data.toString());

            assertThat(status.exitCode()).isEqualTo(1);
            assertThat(status.output()).contains("rejected the token in " + tokenFile).contains("restart the node");
            String log = arca.awaitLog("missing or wrong bearer token", Duration.ofSeconds(10));
            assertThat(log).contains("WARN").contains("GET /status").doesNotContain(other);
        }
    }

    @Test
    void missingTokenNamesFile() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            Path tokenFile = AdminToken.tokenFileOf(data);
            Files.delete(tokenFile);

            ExternalTool.Result status = Peers.arca("status", "--data", data.toString());

            assertThat(status.exitCode()).isEqualTo(1);
            assertThat(status.output()).contains("The admin token file " + tokenFile + " does not exist");
        }
    }

    @Test
    void deleteRequiresReason() throws Exception {
        ExternalTool.Result delete = Peers.arca("delete", "--study", "1.2.3", "--data", temp.toString());

        assertThat(delete.exitCode()).isEqualTo(2);
        assertThat(delete.output()).contains("Missing required option: '--reason=TEXT'");
    }
}
