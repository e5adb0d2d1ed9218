package org.arca.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener's keys: loopback default, a port from YAML, and a non-loopback address rejected. */
class AdminConfigTest {

    @TempDir
    Path temp;

    @Test
    void defaultsAreLoopbackAndAnyPort() throws Exception {
        ArcaConfig config = ConfigLoader.load(null, null);

        assertThat(config.admin().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.admin().port()).isZero();
    }

    @Test
    void portAndIpv6LoopbackFromFile() throws Exception {
        Path file = Files.writeString(temp.resolve("arca.yaml"), "admin:\n  bindAddress: \"::1\"\n  port: 9443\n");

        ArcaConfig config = ConfigLoader.load(file, null);

        assertThat(config.admin().bindAddress()).isEqualTo("::1");
        assertThat(config.admin().port()).isEqualTo(9443);
    }

    @Test
    void nonLoopbackAddressIsRejected() throws Exception {
        Path file = Files.writeString(temp.resolve("arca.yaml"), "admin:\n  bindAddress: 0.0.0.0\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.bindAddress '0.0.0.0' is not a loopback address")
                .hasMessageContaining("127.0.0.1");
    }
}
