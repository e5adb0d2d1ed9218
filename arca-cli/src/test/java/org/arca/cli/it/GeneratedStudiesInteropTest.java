package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job on realistic input: a CT study of 300 slices of 512 x 512 x 16 bit, one
 * 60 MB instance and 2000 small structured reports, each sent with dcmtk's storescu over
 * one association; then list, export and verify.
 */
class GeneratedStudiesInteropTest {

    private static final int CT_SLICES = 300;
    private static final int STRUCTURED_REPORTS = 2000;

    @TempDir
    Path temp;

    @Test
    void storescuSendsCtBigAndStructuredReports() throws Exception {
        Path input = temp.resolve("input");
        Peers.generate("ct", "--slices", String.valueOf(CT_SLICES), "--out", input.resolve("ct").toString());
        Peers.generate("big", "--megabytes", "60", "--out", input.resolve("big").toString());
        Peers.generate("sr", "--count", String.valueOf(STRUCTURED_REPORTS), "--out", input.resolve("sr").toString());
        Path data = temp.resolve("arca-data");

        try (ArcaProcess arca = ArcaProcess.start(data)) {
            for (String part : List.of("ct", "big", "sr")) {
                ExternalTool.Result result = Peers.storescu(arca, List.of("+sd", "+r"), input.resolve(part));
                assertThat(result.exitCode()).as("storescu of %s:%n%s", part, tail(result.output())).isZero();
                assertThat(result.output()).as("storescu of %s", part).doesNotContain("Received Store Response (Fail",
                        "Received Store Response (Warn");
            }
        }

        JsonNode listing = Peers.listJson(data);
        List<JsonNode> instances = Peers.instances(listing);
        assertThat(instances).hasSize(CT_SLICES + 1 + STRUCTURED_REPORTS);
        assertThat(instances).allSatisfy(instance -> {
            assertThat(instance.get("version").asInt()).isEqualTo(1);
            assertThat(instance.get("sha256").asText()).hasSize(64);
            assertThat(instance.get("sizeBytes").asLong()).isPositive();
        });

        Path exported = Files.createDirectories(temp.resolve("exported"));
        Peers.exportAll(data, exported);
        ExternalTool.Result comparison = Peers.compareDatasets(input, exported);
        assertThat(comparison.exitCode()).as(comparison.output()).isZero();

        ExternalTool.Result verify = Peers.arca("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
