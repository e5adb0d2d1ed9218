package org.arca.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.arca.dicom.association.AcceptorConfig;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.association.PresentationContext;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.testing.TestPorts;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Query/retrieve against dcmtk 3.6.7's findscu, getscu and movescu as SCUs. */
class DcmtkQueryRetrieveTest {
    static final Path CT_SMALL = DcmtkInteropTest.CT_SMALL;
    static final String FIND = UID.StudyRootQueryRetrieveInformationModelFind;

    @TempDir
    Path dir;

    private DicomServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private DicomServer start(DimseServiceRegistry registry) throws IOException {
        server = new DicomServer(AcceptorConfig.builder("ARCA").bindAddress("127.0.0.1")
                .acceptedAbstractSyntax(uid -> true).build(), registry.handler()).start();
        return server;
    }

    /** A C-FIND service that returns two fixed studies, encoded in the context's transfer syntax. */
    private static DimseService twoStudies() {
        return (request, responder) -> {
            String ts = request.presentationContext().transferSyntax();
            responder.sendPending(new ByteArrayInputStream(Identifiers.study("DOE^JOHN", "1.2.3.1", ts)));
            responder.sendPending(new ByteArrayInputStream(Identifiers.study("ROE^JANE", "1.2.3.2", ts)));
            responder.send(Status.SUCCESS, null);
        };
    }

    private List<String> findscu(String... options) {
        List<String> command = new java.util.ArrayList<>(List.of("findscu", "-v", "-S", "+sr", "-aet", "FINDSCU",
                "-aec", "ARCA"));
        command.addAll(List.of(options));
        command.addAll(List.of("-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName", "-k", "StudyInstanceUID",
                "127.0.0.1", String.valueOf(server.port())));
        return command;
    }

    @Test
    void findscuPrintsMatches() throws Exception {
        start(new DimseServiceRegistry().register(CommandField.C_FIND_RQ, FIND, twoStudies()));

        Dcmtk.Result result = Dcmtk.run(findscu());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("DOE^JOHN", "ROE^JANE", "1.2.3.1", "1.2.3.2");
        assertThat(result.output()).contains("Received Final Find Response (Success)");
    }

    @Test
    void findscuCancelReachesService() throws Exception {
        AtomicBoolean sawCancel = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        start(new DimseServiceRegistry().register(CommandField.C_FIND_RQ, FIND,
                QueryRetrieveTest.slowUntilCancelled(sawCancel, sent)));

        Dcmtk.Result result = Dcmtk.run(findscu("--cancel", "1"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Sending Cancel Request");
        assertThat(result.output()).contains("Received Final Find Response (Cancel");
        assertThat(server.awaitAssociations(java.time.Duration.ofSeconds(30))).isTrue();
        assertThat(sawCancel).isTrue();
        assertThat(sent.get()).isLessThan(QueryRetrieveTest.MAX_PENDING);
    }

    /** A C-GET or C-MOVE service that sends CT_small.dcm as its one sub-operation on {@code target}. */
    private static SubOperationCounts sendCtSmall(Association target, String originator, int originatorMessageId)
            throws IOException {
        Part10 file = Part10.parse(Files.readAllBytes(CT_SMALL));
        PresentationContext context = target.invocableContext(file.sopClassUid(), file.transferSyntaxUid());
        if (context == null) {
            return new SubOperationCounts(0, 0, 1, 0);
        }
        DimseResponse stored = originator == null
                ? target.cstore(file.sopClassUid(), file.sopInstanceUid(), file.transferSyntaxUid(),
                        new ByteArrayInputStream(file.dataset()), CommandField.PRIORITY_MEDIUM)
                : target.cstore(file.sopClassUid(), file.sopInstanceUid(), file.transferSyntaxUid(),
                        new ByteArrayInputStream(file.dataset()), CommandField.PRIORITY_MEDIUM, originator,
                        originatorMessageId);
        return stored.status() == Status.SUCCESS ? new SubOperationCounts(0, 1, 0, 0)
                : new SubOperationCounts(0, 0, 1, 0);
    }

    @Test
    void getscuWritesSentFile() throws Exception {
        start(new DimseServiceRegistry().register(CommandField.C_GET_RQ,
                UID.StudyRootQueryRetrieveInformationModelGet, (request, responder) -> {
                    responder.sendPending(new SubOperationCounts(1, 0, 0, 0));
                    responder.sendFinal(sendCtSmall(request.association(), null, -1), null);
                }));
        Path output = Files.createDirectory(dir.resolve("getscu"));

        Dcmtk.Result result = Dcmtk.run(List.of("getscu", "-v", "-S", "+B", "-aet", "GETSCU", "-aec", "ARCA",
                "-od", output.toString(), "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=1.3.6.1.4.1.5962.1.2.1.20040119072730.12322",
                "127.0.0.1", String.valueOf(server.port())));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertWrittenUnchanged(output, result.output());
    }

    @Test
    void movescuReceivesMovedFile() throws Exception {
        int movescuPort = TestPorts.freePort();
        start(new DimseServiceRegistry().register(CommandField.C_MOVE_RQ,
                UID.StudyRootQueryRetrieveInformationModelMove, (request, responder) -> {
                    if (!"MOVESCU".equals(request.command().getString(CommandTag.MOVE_DESTINATION))) {
                        throw new DimseException(Status.MOVE_DESTINATION_UNKNOWN, "Unknown move destination");
                    }
                    Association store = AssociationRequestor.connect(RequestorConfig.builder("127.0.0.1",
                            movescuPort, "ARCA", "MOVESCU").presentationContexts(RequestorConfig.contexts(
                            List.of(UID.CTImageStorage), List.of(UID.ExplicitVRLittleEndian)))
                            .responseTimeoutMs(30000).build());
                    SubOperationCounts counts = sendCtSmall(store, request.association().callingAeTitle(),
                            request.messageId());
                    store.release();
                    responder.sendFinal(counts, null);
                }));
        Path output = Files.createDirectory(dir.resolve("movescu"));

        // movescu 3.6.7 with +B wrote the received file to its working directory despite -od.
        Dcmtk.Result result = Dcmtk.run(List.of("movescu", "-v", "-S", "+B", "-aet", "MOVESCU", "-aec", "ARCA",
                "-aem", "MOVESCU", "+P", String.valueOf(movescuPort), "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=1.3.6.1.4.1.5962.1.2.1.20040119072730.12322",
                "127.0.0.1", String.valueOf(server.port())), output.toFile());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertWrittenUnchanged(output, result.output());
    }

    private static void assertWrittenUnchanged(Path output, String toolOutput) throws IOException {
        Part10 original = Part10.parse(Files.readAllBytes(CT_SMALL));
        Path written;
        try (Stream<Path> files = Files.list(output)) {
            written = files.filter(file -> file.getFileName().toString().endsWith(original.sopInstanceUid()))
                    .findFirst().orElseThrow(() -> new AssertionError("No file written; output:\n" + toolOutput));
        }
        Part10 stored = Part10.parse(Files.readAllBytes(written));
        assertThat(stored.transferSyntaxUid()).isEqualTo(original.transferSyntaxUid());
        // --bit-preserving writes the received data set unchanged.
        assertThat(stored.dataset()).isEqualTo(original.dataset());
    }
}
