package org.arca.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoveDestinationsConfigTest {

    @TempDir
    Path temp;

    @Test
    void yamlListIsRead() throws Exception {
        ArcaConfig config = load("""
                dicom:
                  moveDestinations:
                    - aeTitle: VIEWER
                      host: 10.0.0.7
                      port: 104
                    - {aeTitle: PACS2, host: pacs2.example, port: 11112}
                """);

        assertThat(config.dicom().moveDestinations()).containsExactly(
                new ArcaConfig.MoveDestination("VIEWER", "10.0.0.7", 104),
                new ArcaConfig.MoveDestination("PACS2", "pacs2.example", 11112));
        assertThat(config.dicom().moveDestination("PACS2 ").host()).isEqualTo("pacs2.example");
        assertThat(config.dicom().moveDestination("OTHER")).isNull();
    }

    @Test
    void defaultIsEmpty() throws Exception {
        assertThat(ConfigLoader.load(null, null).dicom().moveDestinations()).isEmpty();
    }

    @Test
    void overrideKeepsFileDestinations() throws Exception {
        Path file = temp.resolve("arca.yaml");
        Files.writeString(file, "dicom:\n  moveDestinations: [{aeTitle: VIEWER, host: h, port: 104}]\n");
        ArcaConfig overrides = new ArcaConfig(null, new ArcaConfig.Dicom("ARCA2", null, null, null, null, null, null,
                null), null, null);

        ArcaConfig config = ConfigLoader.load(file, overrides);

        assertThat(config.dicom().aeTitle()).isEqualTo("ARCA2");
        assertThat(config.dicom().moveDestinations()).hasSize(1);
    }

    @Test
    void portOutOfRangeIsRejected() {
        assertThatThrownBy(() -> load("dicom:\n  moveDestinations: [{aeTitle: VIEWER, host: h, port: 0}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dicom.moveDestinations[0].port 0");
    }

    @Test
    void missingHostIsRejected() {
        assertThatThrownBy(() -> load("dicom:\n  moveDestinations: [{aeTitle: VIEWER, port: 104}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dicom.moveDestinations[0].host is missing");
    }

    @Test
    void invalidAeTitleIsRejected() {
        assertThatThrownBy(() -> load("dicom:\n  moveDestinations: [{aeTitle: ABCDEFGHIJKLMNOPQ, host: h, port: 1}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dicom.moveDestinations[0].aeTitle");
    }

    @Test
    void duplicateAeTitleIsRejected() {
        assertThatThrownBy(() -> load("""
                dicom:
                  moveDestinations:
                    - {aeTitle: VIEWER, host: a, port: 104}
                    - {aeTitle: VIEWER, host: b, port: 104}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dicom.moveDestinations[1].aeTitle 'VIEWER' is listed twice");
    }

    private ArcaConfig load(String yaml) throws Exception {
        Path file = temp.resolve("arca.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, null);
    }
}
