package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        assertThat(result.output()).contains("unknown key 'aeTitel'");
    }
}
