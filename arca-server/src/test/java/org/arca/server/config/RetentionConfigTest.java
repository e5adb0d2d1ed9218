package org.arca.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention keys of the configuration: defaults, YAML values and the messages for bad values. */
class RetentionConfigTest {

    @TempDir
    Path temp;

    @Test
    void defaultsGiveThirtyDayWindow() throws Exception {
        ArcaConfig config = ConfigLoader.load(null, null);

        assertThat(config.retention().cdpWindowDays()).isEqualTo(30);
        assertThat(config.retention().runIntervalMinutes()).isEqualTo(60);
        assertThat(config.retention().policy().cdpWindow()).isEqualTo(Duration.ofDays(30));
        assertThat(config.retention().policy().checkpointInterval()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void fileSetsWindowAndKeepsOtherDefaults() throws Exception {
        Path file = write("retention:\n  cdpWindowDays: 90\n");

        ArcaConfig config = ConfigLoader.load(file, null);

        assertThat(config.retention().cdpWindowDays()).isEqualTo(90);
        assertThat(config.retention().runIntervalMinutes()).isEqualTo(60);
        assertThat(config.retention().checkpointIntervalHours()).isEqualTo(24);
    }

    @Test
    void zeroWindowNamesKeyAndRange() throws Exception {
        Path file = write("retention:\n  cdpWindowDays: 0\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retention.cdpWindowDays 0 is out of range")
                .hasMessageContaining("use 1 to 36500 days");
    }

    @Test
    void zeroRunIntervalRejected() throws Exception {
        Path file = write("retention:\n  runIntervalMinutes: 0\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retention.runIntervalMinutes 0 is too small");
    }

    @Test
    void unknownRetentionKeyNamed() throws Exception {
        Path file = write("retention:\n  windowDays: 30\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("windowDays");
    }

    private Path write(String yaml) throws Exception {
        Path file = temp.resolve("arca.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
