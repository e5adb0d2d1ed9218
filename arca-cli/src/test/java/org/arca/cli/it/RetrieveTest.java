package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.dimse.StorageHandler;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.testing.TestPorts;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C-MOVE and C-GET end to end. A CT study is stored with storescu, retrieved with dcmtk's movescu
 * into storescp and with getscu, and compared byte for byte with what was sent. Further cases: an
 * unknown destination, an unreachable one, a blob damaged on disk, a destination killed during
 * the transfer, and a C-CANCEL.
 */
class RetrieveTest {

    private static final String GET_MODEL = UID.StudyRootQueryRetrieveInformationModelGet;
    private static final Pattern ENDED = Pattern.compile(
            "ended with status 0x(\\p{XDigit}{4})[^:]*: (\\d+) completed, (\\d+) failed, (\\d+) with warnings");

    @TempDir
    Path temp;

    @Test
    void moveSendsStudyByteIdentical() throws Exception {
        Map<String, TestInstance> sent = generateCt(12, 128);
        Path received = temp.resolve("received");
        try (Storescp storescp = Storescp.start(received);
                ArcaProcess arca = startWithDestination(storescp.port())) {
            storeAll(arca);

            ExternalTool.Result move = movescu(arca, Storescp.AE_TITLE, studyUid());

            assertThat(move.exitCode()).as(move.output()).isZero();
            assertThat(move.output()).containsPattern("DIMSE Status\\s+: 0x0000: Success");
            assertSameDatasets(sent, received);
            assertThat(ended(arca, "C-MOVE")).containsExactly(0x0000, 12, 0, 0);
        }
    }

    @Test
    void getSendsStudyByteIdentical() throws Exception {
        Map<String, TestInstance> sent = generateCt(12, 128);
        Path received = Files.createDirectories(temp.resolve("received"));
        try (ArcaProcess arca = ArcaProcess.start(temp.resolve("arca-data"))) {
            storeAll(arca);

            ExternalTool.Result get = ExternalTool.run(List.of("getscu", "-v", "-S", "-aec", "ARCA",
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid(),
                    "-od", received.toString(), "127.0.0.1", String.valueOf(arca.dicomPort())), null, 600);

            assertThat(get.exitCode()).as(get.output()).isZero();
            assertThat(get.output()).contains("Received C-GET Response (Success)");
            assertSameDatasets(sent, received);
            assertThat(ended(arca, "C-GET")).containsExactly(0x0000, 12, 0, 0);
        }
    }

    /**
     * Instances above the 4 MiB in-memory limit go through temporary copies while the next one is
     * read ahead, so a copy left behind or an instance out of place shows here.
     */
    @Test
    void getSkipsCorruptBlobInMiddle() throws Exception {
        // 1450 x 1450 16-bit samples are 4,205,000 bytes, above the 4 MiB in-memory limit.
        Map<String, TestInstance> sent = generateCt(7, 1450);
        Path received = Files.createDirectories(temp.resolve("received"));
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            storeAll(arca);
            String damagedUid = new ArrayList<>(sent.keySet()).get(3);
            DamagedBlobs.flipOneByte(data, damagedUid);

            ExternalTool.Result get = ExternalTool.run(List.of("getscu", "-v", "-S", "-aec", "ARCA",
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid(),
                    "-od", received.toString(), "127.0.0.1", String.valueOf(arca.dicomPort())), null, 600);

            assertThat(get.exitCode()).as(get.output()).isZero();
            assertThat(ended(arca, "C-GET")).containsExactly(0xB000, 6, 1, 0);
            sent.remove(damagedUid);
            assertSameDatasets(sent, received);
            assertThat(arca.log()).containsPattern("SOP Instance " + Pattern.quote(damagedUid)
                    + ".*Recorded for repair as journal record \\d+");
            assertThat(Peers.arca("status", "--data", data.toString()).output()).as("arca status")
                    .containsPattern("Blob damage findings\\s+1 recorded, 1 open; latest open: SOP Instance "
                            + Pattern.quote(damagedUid) + " version 1, found by C-GET \\(journal record \\d+\\)");
            try (Stream<Path> left = Files.list(data.resolve("blobs").resolve("tmp"))) {
                assertThat(left).as("temporary retrieve copies left").isEmpty();
            }
        }
    }

    /**
     * A requester may release before it has read the whole final response, as getscu does. Here it
     * releases at the first instance, so the final response cannot be sent at all. The retrieve still
     * logs its end with the counts, and the node keeps serving.
     */
    @Test
    void getRequesterReleaseMidwayLogsEnd() throws Exception {
        Map<String, TestInstance> sent = generateCt(3, 64);
        String transferSyntax = sent.values().iterator().next().transferSyntaxUid();
        try (ArcaProcess arca = ArcaProcess.start(temp.resolve("arca-data"))) {
            storeAll(arca);
            Association association = AssociationRequestor.connect(RequestorConfig.builder("127.0.0.1",
                            arca.dicomPort(), "RELEASER", "ARCA")
                    .presentationContexts(List.of(
                            new PresentationContextRq(1, GET_MODEL, List.of(UID.ExplicitVRLittleEndian)),
                            new PresentationContextRq(3, UID.CTImageStorage, List.of(transferSyntax))))
                    .proposeScpRole(Set.of(UID.CTImageStorage))
                    .build());
            StorageHandler releaseAtFirst = (peer, context, request, dataset) -> {
                try {
                    dataset.transferTo(OutputStream.nullOutputStream());
                    peer.release();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return Status.SUCCESS;
            };

            assertThatThrownBy(() -> association.cget(GET_MODEL, 0, studyIdentifier(studyUid()),
                    UID.ExplicitVRLittleEndian, releaseAtFirst)).isInstanceOf(IOException.class);

            assertThat(ended(arca, "C-GET")).containsExactly(0xA702, 0, 3, 0);
            assertThat(arca.log()).contains("The final response did not reach the requester in full");
            assertThat(Peers.echoscu(arca, "ECHOSCU", "ARCA").exitCode()).isZero();
        }
    }

    @Test
    void moveToUnknownDestinationIsRefused() throws Exception {
        Map<String, TestInstance> sent = generateCt(2, 64);
        try (ArcaProcess arca = startWithDestination(TestPorts.freePort())) {
            storeAll(arca);

            ExternalTool.Result move = movescu(arca, "NOWHERE", studyUid());

            assertThat(move.output()).contains("Refused: MoveDestinationUnknown");
            assertThat(arca.awaitLog("Move Destination 'NOWHERE' is not in dicom.moveDestinations",
                    Duration.ofSeconds(10))).contains("Move Destination 'NOWHERE' is not in dicom.moveDestinations");
        }
    }

    @Test
    void moveToDeadDestinationFailsAll() throws Exception {
        Map<String, TestInstance> sent = generateCt(3, 64);
        try (ArcaProcess arca = startWithDestination(TestPorts.freePort())) {
            storeAll(arca);

            ExternalTool.Result move = movescu(arca, Storescp.AE_TITLE, studyUid());

            assertThat(move.output()).containsPattern("DIMSE Status\\s+: 0xa702");
            assertThat(move.output()).containsPattern("Failed Suboperations\\s+: 3");
            for (String uid : sent.keySet()) {
                assertThat(move.output()).contains(uid);
            }
            assertThat(arca.awaitLog("failed all 3 sub-operations with status 0xA702", Duration.ofSeconds(10)))
                    .contains("associating with Move Destination STORESCP at 127.0.0.1:");
        }
    }

    @Test
    void corruptBlobIsNotSent() throws Exception {
        Map<String, TestInstance> sent = generateCt(6, 64);
        Path received = temp.resolve("received");
        Path data = temp.resolve("arca-data");
        try (Storescp storescp = Storescp.start(received);
                ArcaProcess arca = startWithDestination(storescp.port())) {
            storeAll(arca);
            String damagedUid = sent.keySet().iterator().next();
            Path blob = DamagedBlobs.flipOneByte(data, damagedUid);

            ExternalTool.Result move = movescu(arca, Storescp.AE_TITLE, studyUid());

            assertThat(move.output()).containsPattern("DIMSE Status\\s+: 0xb000: Warning");
            assertThat(move.output()).containsPattern("Completed Suboperations\\s+: 5");
            assertThat(move.output()).containsPattern("Failed Suboperations\\s+: 1");
            assertThat(move.output()).contains("UI [" + damagedUid + "]").contains("FailedSOPInstanceUIDList");
            assertThat(ended(arca, "C-MOVE")).containsExactly(0xB000, 5, 1, 0);
            assertThat(receivedUids(received)).hasSize(5).doesNotContain(damagedUid);
            assertThat(arca.log()).containsPattern("ERROR .*Blob " + Pattern.quote(blob.toString()) + " of SOP Instance "
                    + Pattern.quote(damagedUid) + " .*\\(version 1\\); it was not sent and needs repair");
            assertThat(arca.log()).as("damage journaled for repair").containsPattern(
                    "SOP Instance " + Pattern.quote(damagedUid) + ".*Recorded for repair as journal record \\d+");
        }
    }

    @Test
    void destinationKilledMidTransfer() throws Exception {
        int slices = 200;
        Map<String, TestInstance> sent = generateCt(slices, 256);
        Path received = temp.resolve("received");
        try (Storescp storescp = Storescp.start(received);
                ArcaProcess arca = startWithDestination(storescp.port())) {
            storeAll(arca);

            Process move = startMovescu(arca, Storescp.AE_TITLE, studyUid());
            awaitReceivedFiles(received, 3);
            storescp.kill();
            assertThat(move.waitFor(300, TimeUnit.SECONDS)).as("movescu ended").isTrue();

            List<Integer> ended = ended(arca, "C-MOVE");
            assertThat(ended.get(0)).isIn(0xB000, 0xA702);
            assertThat(ended.get(1) + ended.get(2)).isEqualTo(slices);
            assertThat(ended.get(2)).isPositive();
            // File 3 exists once Arca sends it, so the C-STORE responses for files 1 and 2 were received.
            assertThat(ended.get(1)).isGreaterThanOrEqualTo(2);
            assertThat(arca.healthStatus()).isEqualTo(200);
            assertThat(Peers.echoscu(arca, "ECHOSCU", "ARCA").exitCode()).isZero();
        }
    }

    /** PS3.4 C.4.2.3: a C-CANCEL ends the retrieve between sub-operations with status Cancel and the counts. */
    @Test
    void cancelEndsMoveWithCounts() throws Exception {
        int slices = 200;
        generateCt(slices, 256);
        Path received = temp.resolve("received");
        try (Storescp storescp = Storescp.start(received);
                ArcaProcess arca = startWithDestination(storescp.port())) {
            storeAll(arca);

            List<String> command = new ArrayList<>(movescuCommand(arca, Storescp.AE_TITLE, studyUid()));
            command.addAll(1, List.of("--cancel", "2"));
            ExternalTool.Result move = ExternalTool.run(command, null, 600);

            assertThat(move.output()).containsPattern("DIMSE Status\\s+: 0xfe00|0xFE00|Cancel");
            List<Integer> ended = ended(arca, "C-MOVE");
            assertThat(ended.get(0)).as("final status").isEqualTo(0xFE00);
            assertThat(ended.get(1)).as("completed before the cancel").isBetween(1, slices - 1);
            assertThat(ended.get(1) + ended.get(2)).as("completed and failed").isLessThan(slices);
            assertThat(Peers.echoscu(arca, "ECHOSCU", "ARCA").exitCode()).isZero();
        }
    }

    private Map<String, TestInstance> generateCt(int slices, int matrix) throws Exception {
        Path input = temp.resolve("ct");
        Peers.generate("ct", "--slices", String.valueOf(slices), "--matrix", String.valueOf(matrix),
                "--out", input.toString());
        Map<String, TestInstance> sent = new LinkedHashMap<>();
        for (TestInstance instance : TestInstance.readAll(input)) {
            sent.put(instance.sopInstanceUid(), instance);
        }
        return sent;
    }

    private void storeAll(ArcaProcess arca) throws Exception {
        ExternalTool.Result store = Peers.storescu(arca, List.of("+sd"), temp.resolve("ct"));
        assertThat(store.exitCode()).as(store.output()).isZero();
    }

    private ArcaProcess startWithDestination(int destinationPort) throws Exception {
        Path config = temp.resolve("arca.yaml");
        Files.writeString(config, """
                dicom:
                  moveDestinations:
                    - aeTitle: %s
                      host: 127.0.0.1
                      port: %d
                """.formatted(Storescp.AE_TITLE, destinationPort));
        return ArcaProcess.start(temp.resolve("arca-data"), "--config", config.toString());
    }

    /** Returns the study-level C-GET identifier of {@code studyUid} in Explicit VR Little Endian. */
    private static byte[] studyIdentifier(String studyUid) throws IOException {
        Attributes identifier = new Attributes();
        identifier.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        identifier.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(identifier, TransferSyntax.of(UID.ExplicitVRLittleEndian));
        return bytes.toByteArray();
    }

    /** Returns the StudyInstanceUID of the generated study, read from its first file with dcmdump. */
    private String studyUid() throws IOException, InterruptedException {
        Path first;
        try (Stream<Path> files = Files.list(temp.resolve("ct"))) {
            first = files.sorted().findFirst().orElseThrow();
        }
        ExternalTool.Result dump = ExternalTool.run(List.of("dcmdump", "+P", "StudyInstanceUID", first.toString()),
                null, 60);
        Matcher uid = Pattern.compile("\\[([0-9.]+)\\]").matcher(dump.output());
        if (!uid.find()) {
            throw new AssertionError("dcmdump found no StudyInstanceUID in " + first + ":\n" + dump.output());
        }
        return uid.group(1);
    }

    private static List<String> movescuCommand(ArcaProcess arca, String destination, String studyUid) {
        return List.of("movescu", "-v", "-d", "-S", "-aec", "ARCA", "-aem", destination,
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid,
                "127.0.0.1", String.valueOf(arca.dicomPort()));
    }

    private static ExternalTool.Result movescu(ArcaProcess arca, String destination, String studyUid)
            throws IOException, InterruptedException {
        return ExternalTool.run(movescuCommand(arca, destination, studyUid), null, 600);
    }

    private Process startMovescu(ArcaProcess arca, String destination, String studyUid) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(movescuCommand(arca, destination, studyUid))
                .redirectErrorStream(true).redirectOutput(temp.resolve("movescu.log").toFile());
        builder.environment().put("TCP_NODELAY", "1");
        return builder.start();
    }

    /** Waits until storescp has written at least {@code count} files, for at most 120 s. */
    private static void awaitReceivedFiles(Path received, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (receivedUids(received).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("storescp received fewer than " + count + " files within 120 s");
            }
            Thread.sleep(5);
        }
    }

    /** Returns the SOP Instance UIDs of the files storescp wrote, named "CT.<uid>". */
    private static List<String> receivedUids(Path received) throws IOException {
        if (!Files.isDirectory(received)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(received)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("CT."))
                    .map(name -> name.substring(3)).toList();
        }
    }

    private static void assertSameDatasets(Map<String, TestInstance> sent, Path received) throws IOException {
        List<TestInstance> receivedInstances = TestInstance.readAll(received);
        assertThat(receivedInstances).hasSize(sent.size());
        for (TestInstance instance : receivedInstances) {
            TestInstance original = sent.get(instance.sopInstanceUid());
            assertThat(original).as("received SOP Instance %s was sent", instance.sopInstanceUid()).isNotNull();
            assertThat(instance.transferSyntaxUid()).isEqualTo(original.transferSyntaxUid());
            assertThat(instance.dataset()).as("dataset of %s", instance.sopInstanceUid())
                    .isEqualTo(original.dataset());
        }
    }


    /** Returns status, completed, failed and warning counts of the last retrieve Arca logged as ended. */
    private static List<Integer> ended(ArcaProcess arca, String command) throws Exception {
        String log = arca.awaitLog(command + "-RQ message", Duration.ofSeconds(30));
        log = arca.awaitLog("ended with status", Duration.ofSeconds(30));
        Matcher matcher = ENDED.matcher(log);
        List<Integer> last = null;
        while (matcher.find()) {
            last = new ArrayList<>(List.of(Integer.parseInt(matcher.group(1), 16), Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4))));
        }
        if (last == null) {
            throw new AssertionError("Arca logged no end of a " + command + ":\n" + log);
        }
        return last;
    }
}
