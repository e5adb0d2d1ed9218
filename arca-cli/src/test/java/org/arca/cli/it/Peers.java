package org.arca.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The real peers of the end-to-end tests: dcmtk, python3 with pydicom, and the arca command itself. */
final class Peers {

    /** Debian's python3, which has python3-pydicom; another python3 on the PATH may not. */
    static final String PYTHON = "/usr/bin/python3";
    static final Path PYDICOM_DATA = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
    static final String CALLING_AE = "STORESCU";

    private Peers() {
    }

    static Path repositoryRoot() {
        Path moduleDirectory = Path.of("").toAbsolutePath();
        return moduleDirectory.getParent();
    }

    static ExternalTool.Result echoscu(ArcaProcess arca, String callingAe, String calledAe)
            throws IOException, InterruptedException {
        return ExternalTool.run(List.of("echoscu", "-v", "-aet", callingAe, "-aec", calledAe, "127.0.0.1",
                String.valueOf(arca.dicomPort())), null, 60);
    }

    /**
     * Sends files or directories with storescu, proposing for each file only its own transfer
     * syntax (-R), so that storescu sends every dataset in the encoding of its file.
     */
    static ExternalTool.Result storescu(ArcaProcess arca, List<String> extraOptions, Path... files)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "-R", "-aet", CALLING_AE, "-aec", "ARCA"));
        command.addAll(extraOptions);
        command.add("127.0.0.1");
        command.add(String.valueOf(arca.dicomPort()));
        for (Path file : files) {
            command.add(file.toString());
        }
        return ExternalTool.run(command, null, 1800);
    }

    /** Runs an arca subcommand in its own JVM, as an operator would. */
    static ExternalTool.Result arca(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "org.arca.cli.Main"));
        command.addAll(List.of(args));
        return ExternalTool.run(command, null, 1800);
    }

    static JsonNode listJson(Path data) throws IOException, InterruptedException {
        ExternalTool.Result result = arca("list", "--data", data.toString(), "--json", "--all-versions");
        if (result.exitCode() != 0) {
            throw new AssertionError("arca list failed:\n" + result.output());
        }
        String output = result.output();
        return new ObjectMapper().readTree(output.substring(output.indexOf('{')));
    }

    /** Lists every (SOP Instance UID, version) in `arca list --json` output. */
    static List<JsonNode> instances(JsonNode listing) {
        List<JsonNode> instances = new ArrayList<>();
        for (JsonNode patient : listing.get("patients")) {
            for (JsonNode study : patient.get("studies")) {
                for (JsonNode series : study.get("series")) {
                    series.get("instances").forEach(instances::add);
                }
            }
        }
        return instances;
    }

    static List<String> studyUids(JsonNode listing) {
        List<String> uids = new ArrayList<>();
        for (JsonNode patient : listing.get("patients")) {
            for (JsonNode study : patient.get("studies")) {
                uids.add(study.get("studyInstanceUid").asText());
            }
        }
        return uids;
    }

    /** Exports every study of the data directory, all versions, into one directory. */
    static void exportAll(Path data, Path out) throws IOException, InterruptedException {
        for (String studyUid : studyUids(listJson(data))) {
            ExternalTool.Result result = arca("export", "--data", data.toString(), "--study", studyUid,
                    "--out", out.toString(), "--all-versions");
            if (result.exitCode() != 0) {
                throw new AssertionError("arca export of study " + studyUid + " failed:\n" + result.output());
            }
        }
    }

    /** Compares sent and exported datasets with pydicom; returns the script's result. */
    static ExternalTool.Result compareDatasets(Path sent, Path exported) throws IOException, InterruptedException {
        Path script = Files.createTempFile("compare_datasets", ".py");
        try (InputStream in = Peers.class.getResourceAsStream("/it/compare_datasets.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return ExternalTool.run(List.of(PYTHON, script.toString(), sent.toString(), exported.toString()), null, 1800);
    }

    /** Runs the test-data generator of tools/testdata. */
    static void generate(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON,
                repositoryRoot().resolve("tools/testdata/generate.py").toString()));
        command.addAll(List.of(args));
        ExternalTool.Result result = ExternalTool.run(command, null, 1800);
        if (result.exitCode() != 0) {
            throw new AssertionError("generate.py " + String.join(" ", args) + " failed:\n" + result.output());
        }
    }
}
