package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.testing.TestPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orthanc 1.10.1 (Debian) as the second peer of Arca's DIMSE services, both ways: Orthanc stores
 * into, queries and retrieves from {@code arca serve}, and the arca echo, find, get and move
 * commands work against Orthanc. Orthanc is driven through its REST API on 127.0.0.1.
 */
class OrthancInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private ArcaProcess arca;
    private OrthancProcess orthanc;

    @BeforeEach
    void startPeers() throws Exception {
        int[] orthancPorts = TestPorts.freePorts(2);
        int orthancDicomPort = orthancPorts[0];
        int orthancHttpPort = orthancPorts[1];
        Path config = temp.resolve("arca.yaml");
        Files.writeString(config, """
                dicom:
                  moveDestinations:
                    - aeTitle: %s
                      host: 127.0.0.1
                      port: %d
                """.formatted(OrthancProcess.AE_TITLE, orthancDicomPort));
        arca = ArcaProcess.start(temp.resolve("arca-data"), "--config", config.toString());
        orthanc = OrthancProcess.start(temp.resolve("orthanc"), orthancDicomPort, orthancHttpPort, arca.dicomPort());
    }

    @AfterEach
    void stopPeers() throws Exception {
        if (orthanc != null) {
            orthanc.close();
        }
        if (arca != null) {
            arca.close();
        }
    }

    @Test
    @DisplayName("Orthanc as C-STORE SCU: Arca stores every dataset byte for byte (PS3.4 B.2.3)")
    void orthancStoresIntoArca() throws Exception {
        Map<String, TestInstance> sent = generate(1);
        List<String> orthancIds = uploadToOrthanc("ct-1");

        JsonNode store = storeFromOrthancToArca(orthancIds);

        assertThat(store.path("FailedInstancesCount").asInt(-1)).as(store.toString()).isZero();
        assertThat(uidsInArca()).isEqualTo(new TreeSet<>(sent.keySet()));
        assertSameDatasets(sent, exportFromArca());
    }

    @Test
    @DisplayName("Orthanc as C-FIND SCU: Arca returns the matching study at STUDY level (PS3.4 C.4.1)")
    void orthancQueriesArca() throws Exception {
        Map<String, TestInstance> sent = generate(1);
        storeFromOrthancToArca(uploadToOrthanc("ct-1"));
        Attributes first = datasetOf(sent.values().iterator().next());

        String queryId = queryArcaFromOrthanc(first.getString(Tag.PatientID));

        JsonNode answers = orthanc.get("/queries/" + queryId + "/answers");
        assertThat(answers).hasSize(1);
        JsonNode content = orthanc.get("/queries/" + queryId + "/answers/0/content?simplify");
        assertThat(content.path("StudyInstanceUID").asText()).isEqualTo(first.getString(Tag.StudyInstanceUID));
        assertThat(content.path("PatientID").asText()).isEqualTo(first.getString(Tag.PatientID));
        assertThat(content.path("QueryRetrieveLevel").asText()).isEqualTo("STUDY");
    }

    @Test
    @DisplayName("Orthanc as C-FIND SCU: Arca returns no match for an unknown Patient ID")
    void orthancQueryWithoutMatch() throws Exception {
        generate(1);
        storeFromOrthancToArca(uploadToOrthanc("ct-1"));

        String queryId = queryArcaFromOrthanc("NO-SUCH-PATIENT");

        assertThat(orthanc.get("/queries/" + queryId + "/answers")).isEmpty();
    }

    @Test
    @DisplayName("Orthanc as C-MOVE SCU to itself: Arca sends the study back byte for byte (PS3.4 C.4.2)")
    void orthancMovesFromArcaToItself() throws Exception {
        Map<String, TestInstance> sent = generate(1);
        List<String> orthancIds = uploadToOrthanc("ct-1");
        storeFromOrthancToArca(orthancIds);
        for (String id : orthancIds) {
            orthanc.delete("/instances/" + id);
        }
        assertThat(orthanc.get("/instances")).isEmpty();
        String queryId = queryArcaFromOrthanc(datasetOf(sent.values().iterator().next()).getString(Tag.PatientID));

        ObjectNode retrieve = JSON.createObjectNode().put("TargetAet", OrthancProcess.AE_TITLE)
                .put("Synchronous", true);
        orthanc.post("/queries/" + queryId + "/retrieve", retrieve);

        assertSameDatasets(sent, downloadFromOrthanc());
        assertThat(arca.awaitLog("C-MOVE", java.time.Duration.ofSeconds(10))).contains(OrthancProcess.AE_TITLE);
    }

    @Test
    @DisplayName("arca echo as C-ECHO SCU: Orthanc answers Success (PS3.7 9.1.5)")
    void arcaEchoesOrthanc() throws Exception {
        ExternalTool.Result echo = arcaCommand("echo", "--aec", OrthancProcess.AE_TITLE);

        assertThat(echo.exitCode()).as(echo.output()).isZero();
        assertThat(echo.output()).contains("status 0x0000 (Success)");
    }

    @Test
    @DisplayName("arca echo: a rejected association prints the A-ASSOCIATE-RJ reason and exits 1")
    void arcaEchoRejected() throws Exception {
        ExternalTool.Result echo = arcaCommand("echo", "--aec", "NOT-ORTHANC");

        assertThat(echo.exitCode()).as(echo.output()).isEqualTo(1);
        assertThat(echo.output()).contains("Association rejected by NOT-ORTHANC at 127.0.0.1:" + orthanc.dicomPort())
                .contains("called-AE-title-not-recognized");
    }

    @Test
    @DisplayName("arca echo: a refused connection names host and port and exits 1")
    void arcaEchoConnectionRefused() throws Exception {
        int closedPort = TestPorts.freePort();

        ExternalTool.Result echo = Peers.arca("echo", "127.0.0.1", String.valueOf(closedPort));

        assertThat(echo.exitCode()).as(echo.output()).isEqualTo(1);
        assertThat(echo.output()).contains("Connection refused by 127.0.0.1:" + closedPort);
    }

    @Test
    @DisplayName("arca find: an unknown keyword in -k is named and exits 2")
    void arcaFindBadKey() throws Exception {
        ExternalTool.Result find = arcaCommand("find", "--aec", OrthancProcess.AE_TITLE, "-k", "PatientIdentity=1");

        assertThat(find.exitCode()).as(find.output()).isEqualTo(2);
        assertThat(find.output()).contains("Invalid key 'PatientIdentity'");
    }

    @Test
    @DisplayName("arca find as C-FIND SCU: Orthanc returns the study with the requested return keys")
    void arcaFindsInOrthanc() throws Exception {
        Map<String, TestInstance> sent = generate(1);
        uploadToOrthanc("ct-1");
        Attributes first = datasetOf(sent.values().iterator().next());

        ExternalTool.Result find = arcaCommand("find", "--aec", OrthancProcess.AE_TITLE, "--json",
                "-k", "PatientID=" + first.getString(Tag.PatientID), "-k", "StudyInstanceUID", "-k", "PatientName");

        assertThat(find.exitCode()).as(find.output()).isZero();
        JsonNode matches = jsonArrayIn(find.output());
        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).path("StudyInstanceUID").asText()).isEqualTo(first.getString(Tag.StudyInstanceUID));
        assertThat(matches.get(0).path("PatientName").asText()).isEqualTo(first.getString(Tag.PatientName));

        ExternalTool.Result text = arcaCommand("find", "--aec", OrthancProcess.AE_TITLE,
                "-k", "PatientID=" + first.getString(Tag.PatientID), "-k", "StudyInstanceUID");
        assertThat(text.exitCode()).as(text.output()).isZero();
        assertThat(text.output()).contains("StudyInstanceUID=" + first.getString(Tag.StudyInstanceUID) + "\n")
                .contains("1 matches, status 0x0000 (Success)");
    }

    @Test
    @DisplayName("arca get as C-GET SCU: the files hold Orthanc's datasets unchanged (PS3.4 C.4.3)")
    void arcaGetsFromOrthanc() throws Exception {
        Map<String, TestInstance> sent = generate(1);
        uploadToOrthanc("ct-1");
        Path out = temp.resolve("got");
        String studyUid = datasetOf(sent.values().iterator().next()).getString(Tag.StudyInstanceUID);

        ExternalTool.Result get = arcaCommand("get", "--aec", OrthancProcess.AE_TITLE,
                "-k", "StudyInstanceUID=" + studyUid, "--out", out.toString());

        assertThat(get.exitCode()).as(get.output()).isZero();
        try (var files = Files.list(out)) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted().toList())
                    .isEqualTo(sent.keySet().stream().map(uid -> uid + ".dcm").sorted().toList());
        }
        assertSameDatasets(sent, TestInstance.readAll(out));
        assertSameDatasets(sent, downloadFromOrthanc());
    }

    @Test
    @DisplayName("arca move as C-MOVE SCU: Orthanc sends the study to Arca byte for byte")
    void arcaMovesFromOrthancToArca() throws Exception {
        Map<String, TestInstance> sent = generate(2);
        uploadToOrthanc("ct-2");
        String studyUid = datasetOf(sent.values().iterator().next()).getString(Tag.StudyInstanceUID);

        ExternalTool.Result move = arcaCommand("move", "--aec", OrthancProcess.AE_TITLE, "--dest", "ARCA",
                "-k", "StudyInstanceUID=" + studyUid);

        assertThat(move.exitCode()).as(move.output()).isZero();
        assertThat(move.output()).contains(sent.size() + " completed, 0 failed");
        assertThat(uidsInArca()).isEqualTo(new TreeSet<>(sent.keySet()));
        assertSameDatasets(sent, exportFromArca());
    }

    // ---- helpers ----

    /** Generates a small CT study with the seed into temp/ct-SEED and returns it by SOP Instance UID. */
    private Map<String, TestInstance> generate(int seed) throws Exception {
        Path directory = temp.resolve("ct-" + seed);
        Peers.generate("ct", "--seed", String.valueOf(seed), "--slices", "4", "--matrix", "64",
                "--out", directory.toString());
        Map<String, TestInstance> sent = new LinkedHashMap<>();
        for (TestInstance instance : TestInstance.readAll(directory)) {
            sent.put(instance.sopInstanceUid(), instance);
        }
        return sent;
    }

    /** Uploads every file of temp/NAME with POST /instances and returns Orthanc's instance IDs. */
    private List<String> uploadToOrthanc(String name) throws Exception {
        List<String> ids = new ArrayList<>();
        try (var files = Files.list(temp.resolve(name))) {
            for (Path file : files.sorted().toList()) {
                JsonNode answer = orthanc.post("/instances", Files.readAllBytes(file));
                assertThat(answer.path("Status").asText()).as(answer.toString()).isEqualTo("Success");
                ids.add(answer.path("ID").asText());
            }
        }
        return ids;
    }

    private JsonNode storeFromOrthancToArca(List<String> orthancIds) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("Synchronous", true);
        ArrayNode resources = request.putArray("Resources");
        orthancIds.forEach(resources::add);
        return orthanc.post("/modalities/arca/store", request);
    }

    /** Sends a STUDY level C-FIND from Orthanc to Arca and returns Orthanc's query ID. */
    private String queryArcaFromOrthanc(String patientId) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("Level", "Study");
        request.putObject("Query").put("PatientID", patientId).put("StudyInstanceUID", "");
        JsonNode answer = orthanc.post("/modalities/arca/query", request);
        return answer.path("ID").asText();
    }

    private List<TestInstance> downloadFromOrthanc() throws Exception {
        List<TestInstance> instances = new ArrayList<>();
        Path directory = Files.createDirectories(temp.resolve("from-orthanc"));
        for (JsonNode id : orthanc.get("/instances")) {
            Path file = directory.resolve(id.asText() + ".dcm");
            Files.write(file, orthanc.getBytes("/instances/" + id.asText() + "/file"));
            instances.add(TestInstance.read(file));
        }
        return instances;
    }

    private TreeSet<String> uidsInArca() throws Exception {
        TreeSet<String> uids = new TreeSet<>();
        for (JsonNode instance : Peers.instances(Peers.listJson(temp.resolve("arca-data")))) {
            uids.add(instance.get("sopInstanceUid").asText());
        }
        return uids;
    }

    private List<TestInstance> exportFromArca() throws Exception {
        Path out = temp.resolve("exported");
        Peers.exportAll(temp.resolve("arca-data"), out);
        return TestInstance.readAll(out);
    }

    /** Runs an arca client command against Orthanc's DICOM port on 127.0.0.1. */
    private ExternalTool.Result arcaCommand(String command, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(command, "127.0.0.1", String.valueOf(orthanc.dicomPort())));
        args.addAll(List.of(options));
        return Peers.arca(args.toArray(String[]::new));
    }

    private static void assertSameDatasets(Map<String, TestInstance> sent, List<TestInstance> received) {
        assertThat(received.stream().map(TestInstance::sopInstanceUid).sorted().toList())
                .isEqualTo(sent.keySet().stream().sorted().toList());
        for (TestInstance instance : received) {
            TestInstance original = sent.get(instance.sopInstanceUid());
            assertThat(instance.transferSyntaxUid()).as(instance.sopInstanceUid())
                    .isEqualTo(original.transferSyntaxUid());
            assertThat(instance.dataset()).as("dataset of " + instance.sopInstanceUid())
                    .isEqualTo(original.dataset());
        }
    }

    /** Returns the JSON array that starts at the beginning of a line, among the log lines on standard error. */
    private static JsonNode jsonArrayIn(String output) throws IOException {
        java.util.regex.Matcher start = java.util.regex.Pattern.compile("(?m)^\\[").matcher(output);
        assertThat(start.find()).as("JSON array in:\n" + output).isTrue();
        return JSON.readTree(output.substring(start.start(), output.lastIndexOf(']') + 1));
    }

    private static Attributes datasetOf(TestInstance instance) throws IOException {
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(instance.dataset()),
                org.arca.dicom.uid.TransferSyntax.of(instance.transferSyntaxUid()));
        return in.readDataset(ReadOptions.defaults());
    }
}
