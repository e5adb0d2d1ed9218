package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.arca.dicom.dimse.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up at start runs on a scratch directory and leaves nothing in the archive. */
class WarmUpTest {

    @TempDir
    Path temp;

    @Test
    void onlyRealInstanceAfterWarmUp() throws Exception {
        Path input = temp.resolve("input");
        Peers.generate("ct", "--slices", "1", "--out", input.toString());
        TestInstance slice = TestInstance.readAll(input).get(0);
        Path data = temp.resolve("arca-data");

        try (ArcaProcess arca = ArcaProcess.startWithWarmUp(data)) {
            assertThat(arca.log()).as("log of the start").contains("Warm-up finished");
            assertThat(arca.log()).as("log of the start").doesNotContain("The warm-up failed");
            assertThat(arca.log()).as("log of the start").doesNotContain("WARN");
            assertThat(Files.exists(data.resolve("warm-up"))).as("scratch directory after the warm-up").isFalse();
            assertThat(Scu.store(arca.dicomPort(), slice).status()).as("C-STORE after the warm-up")
                    .isEqualTo(Status.SUCCESS);
            assertThat(arca.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
        }

        List<JsonNode> instances = Peers.instances(Peers.listJson(data));
        assertThat(instances).as("instances in the archive").hasSize(1);
        assertThat(instances.get(0).get("sopInstanceUid").asText()).isEqualTo(slice.sopInstanceUid());
    }

    @Test
    void startWithoutWarmUpDeletesLeftover() throws Exception {
        Path data = temp.resolve("arca-data");
        Path leftover = Files.createDirectories(data.resolve("warm-up").resolve("journal"));
        Files.writeString(leftover.resolve("left.seg"), "what a killed warm-up left");

        try (ArcaProcess arca = ArcaProcess.start(data)) {
            assertThat(Files.exists(data.resolve("warm-up"))).as("scratch directory after a start").isFalse();
            assertThat(arca.log()).as("log of the start").contains("which an interrupted warm-up left behind");
        }
    }

    @Test
    void warmUpOptionOverridesConfigFile() throws Exception {
        Path config = Files.writeString(temp.resolve("arca.yaml"), "warmUp: false\n");

        try (ArcaProcess arca = ArcaProcess.startWithWarmUp(temp.resolve("arca-data"), "--config", config.toString(),
                "--warm-up")) {
            assertThat(arca.log()).as("log of the start").contains("Warm-up finished");
        }
    }
}
