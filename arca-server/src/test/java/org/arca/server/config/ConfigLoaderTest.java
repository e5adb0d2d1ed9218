package org.arca.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, YAML and command-line overrides, and the messages for bad values. */
class ConfigLoaderTest {

    @TempDir
    Path temp;

    @Test
    void noFileGivesEmbeddedDefaults() throws Exception {
        ArcaConfig config = ConfigLoader.load(null, null);

        assertThat(config.dataDirectory()).isEqualTo(Path.of("arca-data"));
        assertThat(config.dicom().aeTitle()).isEqualTo("ARCA");
        assertThat(config.dicom().port()).isEqualTo(11112);
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.dicom().allowedCallingAeTitles()).isEmpty();
        assertThat(config.shutdownDrainSeconds()).isEqualTo(30);
        assertThat(config.dicom().personNameCaseInsensitive()).isTrue();
    }

    @Test
    void reconcileDefaultsAndKeys() throws Exception {
        ArcaConfig.Reconcile defaults = ConfigLoader.load(null, null).reconcile();
        assertThat(defaults.intervalHours()).isEqualTo(24);
        assertThat(defaults.repair()).isFalse();
        assertThat(defaults.quarantineGraceDays()).isEqualTo(7);

        Path file = write("reconcile:\n  intervalHours: 0\n  repair: true\n");
        ArcaConfig.Reconcile configured = ConfigLoader.load(file, null).reconcile();
        assertThat(configured.intervalHours()).isZero();
        assertThat(configured.repair()).isTrue();
        assertThat(configured.quarantineGraceDays()).as("default kept").isEqualTo(7);
    }

    @Test
    void negativeReconcileIntervalIsRejected() throws Exception {
        Path file = write("reconcile:\n  intervalHours: -1\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("reconcile.intervalHours -1");
    }

    @Test
    void idleTimeoutDefaultAndKey() throws Exception {
        assertThat(ConfigLoader.load(null, null).dicom().idleTimeoutMs()).isEqualTo(60_000);

        Path file = write("dicom:\n  idleTimeoutMs: 0\n");

        assertThat(ConfigLoader.load(file, null).dicom().idleTimeoutMs()).isZero();
    }

    @Test
    void negativeIdleTimeoutIsRejected() throws Exception {
        Path file = write("dicom:\n  idleTimeoutMs: -5\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dicom.idleTimeoutMs -5")
                .hasMessageContaining("(line 2: idleTimeoutMs: -5)")
                .hasMessageNotContaining("option in parentheses");
    }

    @Test
    void sectionKeyQuotesItsLine() throws Exception {
        Path file = write("dicom:\n  port: 104\nhttp:\n  port: 70000\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.port (--http-port) 70000 is not a TCP port")
                .hasMessageContaining("(line 4: port: 70000) unless the option in parentheses was given.");
    }

    @Test
    void listItemValueQuotesItsLine() throws Exception {
        Path file = write("dicom:\n  moveDestinations:\n    - aeTitle: VIEWER\n      host: h\n      port: 0\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dicom.moveDestinations[0].port 0 is not a TCP port")
                .hasMessageContaining("(line 5: port: 0).");
    }

    @Test
    void personNameCaseSensitivityIsConfigurable() throws Exception {
        Path file = write("dicom:\n  personNameCaseInsensitive: false\n");

        assertThat(ConfigLoader.load(file, null).dicom().personNameCaseInsensitive()).isFalse();
    }

    @Test
    void fileOverridesDefaultsAndOptionsOverrideFile() throws Exception {
        Path file = write("dataDirectory: /srv/arca\ndicom:\n  aeTitle: PACS1\n  port: 104\n"
                + "  allowedCallingAeTitles: [CT1, MR1]\nhttp:\n  port: 9090\n");
        ArcaConfig options = new ArcaConfig(null, new ArcaConfig.Dicom(null, null, 11113, null, null, null, null,
                null), null, null);

        ArcaConfig config = ConfigLoader.load(file, options);

        assertThat(config.dataDirectory()).isEqualTo(Path.of("/srv/arca"));
        assertThat(config.dicom().aeTitle()).isEqualTo("PACS1");
        assertThat(config.dicom().port()).as("option wins over file").isEqualTo(11113);
        assertThat(config.dicom().allowedCallingAeTitles()).isEqualTo(List.of("CT1", "MR1"));
        assertThat(config.dicom().maxPduLength()).as("default kept").isEqualTo(262_144);
        assertThat(config.http().port()).isEqualTo(9090);
    }

    @Test
    void unknownKeyIsNamedWithPath() throws Exception {
        Path file = write("dicom:\n  aeTitel: ARCA\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'dicom.aeTitel' (line 2: aeTitel: ARCA)");
    }

    @Test
    void wrongTypeNamesKeyAndExpectation() throws Exception {
        Path file = write("dicom:\n  port: eleven\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'dicom.port'")
                .hasMessageContaining("a whole number");
    }

    @Test
    void booleanKeyTakesOnlyTrueOrFalse() throws Exception {
        for (String value : List.of("0", "1", "\"false\"", "off", "no", "yes")) {
            Path file = write("dicom:\n  checkCalledAeTitle: true\nwarmUp: " + value + "\n");

            assertThatThrownBy(() -> ConfigLoader.load(file, null))
                    .as("warmUp: %s", value)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'warmUp'")
                    .hasMessageContaining("(line 3: warmUp: " + value + ")")
                    .hasMessageContaining("true or false");
        }

        Path valid = write("warmUp: false\n");
        assertThat(ConfigLoader.load(valid, null).warmUp()).isFalse();
    }

    /** An explicit null leaves the key at its default, as if the line were not there. */
    @Test
    void explicitNullKeepsDefault() throws Exception {
        Path file = write("warmUp: ~\nreconcile:\n  repair: null\n");

        ArcaConfig config = ConfigLoader.load(file, null);

        assertThat(config.warmUp()).isTrue();
        assertThat(config.reconcile().repair()).isFalse();
    }

    /** A section or key with nothing after it is null in YAML, so it keeps its defaults too. */
    @Test
    void emptySectionKeepsDefaults() throws Exception {
        Path file = write("retention:\nreconcile:\ndicom:\n  aeTitle:\n  port: 11113\n");

        ArcaConfig config = ConfigLoader.load(file, null);

        assertThat(config.retention()).isEqualTo(ArcaConfig.defaults().retention());
        assertThat(config.reconcile()).isEqualTo(ArcaConfig.defaults().reconcile());
        assertThat(config.dicom().aeTitle()).isEqualTo("ARCA");
        assertThat(config.dicom().port()).isEqualTo(11113);
    }

    /** A quoted empty string is a value, not an absent one: an empty AE title is rejected. */
    @Test
    void quotedEmptyAeTitleIsRejected() throws Exception {
        Path file = write("dicom:\n  aeTitle: \"\"\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("1 to 16");
    }

    /** A quoted empty string for a number key is a wrong value, not a missing one. */
    @Test
    void quotedEmptyNumberIsRejected() throws Exception {
        Path file = write("dicom:\n  port: \"\"\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'dicom.port'")
                .hasMessageContaining("a whole number");
    }

    @Test
    void emptyDataDirectoryIsRejected() throws Exception {
        Path file = write("dataDirectory: \"\"\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dataDirectory (--data) is empty")
                .hasMessageContaining("configuration file " + file);
    }

    @Test
    void twoListenersOnOnePortAreRejected() {
        ArcaConfig samePort = new ArcaConfig(null, new ArcaConfig.Dicom(null, null, 12_104, null, null, null, null,
                null), new ArcaConfig.Http(null, 12_104), null);

        assertThatThrownBy(() -> ConfigLoader.load(null, samePort))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dicom.port (--dicom-port) and http.port (--http-port) are both 12104");
    }

    @Test
    void duplicateKeyIsRejectedWithItsLine() throws Exception {
        Path file = write("warmUp: false\nwarmUp: true\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sets a key twice")
                .hasMessageContaining("warmUp: true");
    }

    @Test
    void singleAeTitleWhereListExpected() throws Exception {
        Path file = write("dicom:\n  allowedCallingAeTitles: CT1\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'dicom.allowedCallingAeTitles'")
                .hasMessageContaining("a list");
    }

    @Test
    void invalidValuesNameOptionAndFix() {
        ArcaConfig badPort = new ArcaConfig(null, new ArcaConfig.Dicom(null, null, 99_999, null, null, null, null,
                null), null, null);
        ArcaConfig longAeTitle = new ArcaConfig(null, new ArcaConfig.Dicom("A_TITLE_OF_17_CHR", null, null, null,
                null, null, null, null), null, null);

        assertThatThrownBy(() -> ConfigLoader.load(null, badPort))
                .hasMessageContaining("--dicom-port")
                .hasMessageContaining("99999")
                .hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> ConfigLoader.load(null, longAeTitle))
                .hasMessageContaining("A_TITLE_OF_17_CHR")
                .hasMessageContaining("1 to 16");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = temp.resolve("nowhere.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    private Path write(String yaml) throws Exception {
        return Files.writeString(temp.resolve("arca.yaml"), yaml);
    }
}
