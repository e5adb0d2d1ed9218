package org.arca.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.testing.TestPorts;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our C-FIND and C-GET SCU against dcmtk 3.6.7's dcmqrscp, loaded with CT_small.dcm by storescu. */
class DcmqrscpTest {
    static final String FIND = UID.StudyRootQueryRetrieveInformationModelFind;
    static final String GET = UID.StudyRootQueryRetrieveInformationModelGet;
    static final String CT = UID.CTImageStorage;
    static final String STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    static final String INSTANCE = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";

    @TempDir
    Path dir;

    private Process dcmqrscp;
    private int port;

    @BeforeEach
    void startDcmqrscp() throws Exception {
        Path database = Files.createDirectory(dir.resolve("db"));
        port = TestPorts.freePort();
        Path config = dir.resolve("dcmqrscp.cfg");
        Files.writeString(config, String.join("\n", "NetworkTCPPort = " + port, "MaxPDUSize = 16384",
                "MaxAssociations = 16", "HostTable BEGIN", "HostTable END", "VendorTable BEGIN", "VendorTable END",
                "AETable BEGIN", "DCMQRSCP " + database + " RW (10, 100mb) ANY", "AETable END", ""));
        dcmqrscp = Dcmtk.start(List.of("dcmqrscp", "-c", config.toString()));
        awaitListening();
        Dcmtk.Result stored = Dcmtk.run(List.of("storescu", "-aet", "STORESCU", "-aec", "DCMQRSCP", "127.0.0.1",
                String.valueOf(port), DcmtkInteropTest.CT_SMALL.toString()));
        assertThat(stored.exitCode()).as(stored.output()).isZero();
    }

    @AfterEach
    void stopDcmqrscp() throws InterruptedException {
        dcmqrscp.destroy();
        dcmqrscp.waitFor(10, TimeUnit.SECONDS);
    }

    /** Polls until dcmqrscp accepts connections, because it prints nothing when it is ready. */
    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            assertThat(dcmqrscp.isAlive()).as("dcmqrscp exited early").isTrue();
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("dcmqrscp did not listen on port " + port + " within 10 s");
    }

    private Association connect(RequestorConfig.Builder config) throws IOException {
        return AssociationRequestor.connect(config.responseTimeoutMs(30000).build());
    }

    @Test
    void cfindFindsStoredStudy() throws Exception {
        Association association = connect(RequestorConfig.builder("127.0.0.1", port, "SCU", "DCMQRSCP")
                .presentationContexts(RequestorConfig.contexts(List.of(FIND), List.of(UID.ExplicitVRLittleEndian))));
        List<Attributes> matches = new ArrayList<>();

        DimseResponse response = association.cfind(FIND, CommandField.PRIORITY_MEDIUM, Identifiers.study("", ""),
                UID.ExplicitVRLittleEndian, match -> matches.add(decode(match)));
        association.release();

        assertThat(response.status()).isEqualTo(Status.SUCCESS);
        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).getString(Tag.StudyInstanceUID)).isEqualTo(STUDY);
    }

    private static Attributes decode(byte[] identifier) {
        try {
            return Identifiers.decode(identifier);
        } catch (IOException e) {
            throw new AssertionError("The identifier cannot be decoded: " + e, e);
        }
    }

    @Test
    void cgetReceivesStoredInstance() throws Exception {
        Association association = connect(RequestorConfig.builder("127.0.0.1", port, "SCU", "DCMQRSCP")
                .presentationContexts(RequestorConfig.contexts(List.of(GET, CT), List.of(UID.ExplicitVRLittleEndian)))
                .proposeScpRole(List.of(CT)));
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        Map<String, String> transferSyntaxes = new ConcurrentHashMap<>();

        RetrieveResponse response = association.cget(GET, CommandField.PRIORITY_MEDIUM, Identifiers.study("", STUDY),
                UID.ExplicitVRLittleEndian, (peer, context, request, dataset) -> {
                    try {
                        received.put(request.affectedSopInstanceUid(), dataset.readAllBytes());
                    } catch (IOException e) {
                        throw new DimseException(Status.PROCESSING_FAILURE, e.toString(), e);
                    }
                    transferSyntaxes.put(request.affectedSopInstanceUid(), context.transferSyntax());
                    return Status.SUCCESS;
                });
        association.release();

        assertThat(response.status()).isEqualTo(Status.SUCCESS);
        assertThat(response.counts().completed()).isEqualTo(1);
        assertThat(response.counts().failed()).isZero();
        assertThat(received.keySet()).containsExactly(INSTANCE);
        assertThat(transferSyntaxes.get(INSTANCE)).isEqualTo(UID.ExplicitVRLittleEndian);
        Part10 inDatabase = Part10.parse(Files.readAllBytes(databaseFile()));
        assertThat(inDatabase.transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
        assertThat(received.get(INSTANCE)).isEqualTo(inDatabase.dataset());
    }

    private Path databaseFile() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("db"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".dcm")).findFirst()
                    .orElseThrow(() -> new AssertionError("dcmqrscp stored no file"));
        }
    }
}
