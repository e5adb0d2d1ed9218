package org.arca.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arca.dicom.association.AcceptorConfig;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.testing.TestPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DcmtkInteropTest {
    static final Path CT_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    @TempDir
    Path dir;

    private DicomServer server;
    private final Map<String, String> receivedTransferSyntax = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A handler that writes each data set to a file named by its SOP Instance UID. */
    private StorageHandler fileWriter() {
        return (association, context, request, dataset) -> {
            try {
                Files.copy(dataset, dir.resolve(request.affectedSopInstanceUid()));
            } catch (IOException e) {
                throw new DimseException(Status.OUT_OF_RESOURCES, "Writing failed: " + e.getMessage(), e);
            }
            receivedTransferSyntax.put(request.affectedSopInstanceUid(), context.transferSyntax());
            return Status.SUCCESS;
        };
    }

    private DicomServer startServer(AcceptorConfig.Builder config) throws IOException {
        DimseServiceRegistry registry = new DimseServiceRegistry().registerVerification()
                .registerForAnySopClass(CommandField.C_STORE_RQ, new CStoreScp(fileWriter()));
        server = new DicomServer(config.bindAddress("127.0.0.1").acceptedAbstractSyntax(uid -> true).build(),
                registry.handler()).start();
        return server;
    }

    @Test
    void echoscuSucceeds() throws Exception {
        startServer(AcceptorConfig.builder("ARCA"));
        Dcmtk.Result result = Dcmtk.run(List.of("echoscu", "-v", "-aet", "ECHOSCU", "-aec", "ARCA", "127.0.0.1",
                String.valueOf(server.port())));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Received Echo Response (Success)");
    }

    @Test
    void echoscuUnknownCalledAeRejected() throws Exception {
        startServer(AcceptorConfig.builder("ARCA"));
        Dcmtk.Result result = Dcmtk.run(List.of("echoscu", "-v", "-aet", "ECHOSCU", "-aec", "WRONG", "127.0.0.1",
                String.valueOf(server.port())));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).containsIgnoringCase("Called AE Title Not Recognized");
        assertThat(result.output()).containsIgnoringCase("Rejected Permanent");
    }

    @Test
    void echoscuUnknownCallingAeRejected() throws Exception {
        startServer(AcceptorConfig.builder("ARCA").allowedCallingAeTitles(Set.of("MODALITY")));
        Dcmtk.Result result = Dcmtk.run(List.of("echoscu", "-v", "-aet", "INTRUDER", "-aec", "ARCA", "127.0.0.1",
                String.valueOf(server.port())));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).containsIgnoringCase("Calling AE Title Not Recognized");
        Dcmtk.Result allowed = Dcmtk.run(List.of("echoscu", "-aet", "MODALITY", "-aec", "ARCA", "127.0.0.1",
                String.valueOf(server.port())));
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-xb", "-xe"})
    void storescuFileArrivesExactly(String proposal) throws Exception {
        startServer(AcceptorConfig.builder("ARCA"));
        Dcmtk.Result result = Dcmtk.run(List.of("storescu", proposal, "-aet", "STORESCU", "-aec", "ARCA",
                "127.0.0.1", String.valueOf(server.port()), CT_SMALL.toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();

        Part10 original = Part10.parse(Files.readAllBytes(CT_SMALL));
        // Explicit VR Little Endian is our first preference, so storescu sends the file's own encoding.
        assertThat(receivedTransferSyntax.get(original.sopInstanceUid())).isEqualTo(EXPLICIT_LE);
        assertSameBytes(dir.resolve(original.sopInstanceUid()), Part10.withoutTrailingPadding(original.dataset(), true));
    }

    @Test
    void storescuImplicitOnlyArrivesAsDcmconvWrites() throws Exception {
        startServer(AcceptorConfig.builder("ARCA"));
        Dcmtk.Result result = Dcmtk.run(List.of("storescu", "-xi", "-aet", "STORESCU", "-aec", "ARCA",
                "127.0.0.1", String.valueOf(server.port()), CT_SMALL.toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();

        // storescu converts to Implicit VR Little Endian; dcmconv makes the same conversion to compare with.
        Path converted = dir.resolve("converted.dcm");
        Dcmtk.Result conversion = Dcmtk.run(List.of("dcmconv", "+ti", CT_SMALL.toString(), converted.toString()));
        assertThat(conversion.exitCode()).as(conversion.output()).isZero();
        Part10 expected = Part10.parse(Files.readAllBytes(converted));
        assertThat(receivedTransferSyntax.get(expected.sopInstanceUid())).isEqualTo("1.2.840.10008.1.2");
        assertSameBytes(dir.resolve(expected.sopInstanceUid()), Part10.withoutTrailingPadding(expected.dataset(), false));
    }

    /** Compares sizes and SHA-256 digests, so a failure does not print megabytes of array. */
    static void assertSameBytes(Path actual, byte[] expected) throws Exception {
        byte[] bytes = Files.readAllBytes(actual);
        assertThat(bytes.length).as("length of " + actual).isEqualTo(expected.length);
        assertThat(sha256(bytes)).as("SHA-256 of " + actual).isEqualTo(sha256(expected));
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void storescuWrongTransferSyntaxGetsNoContext() throws Exception {
        startServer(AcceptorConfig.builder("ARCA").acceptedTransferSyntaxes(List.of("1.2.840.10008.1.2.4.50")));
        Dcmtk.Result result = Dcmtk.run(List.of("storescu", "-aet", "STORESCU", "-aec", "ARCA", "127.0.0.1",
                String.valueOf(server.port()), CT_SMALL.toString()));
        assertThat(result.exitCode()).isNotZero();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void cstoreToStorescpBitPreserving() throws Exception {
        Path output = Files.createDirectory(dir.resolve("storescp"));
        int port = TestPorts.freePort();
        Process storescp = Dcmtk.start(List.of("storescp", "--bit-preserving", "-aet", "STORESCP", "-od",
                output.toString(), String.valueOf(port)));
        try {
            awaitListening(port, storescp);
            Part10 original = Part10.parse(Files.readAllBytes(CT_SMALL));
            RequestorConfig config = RequestorConfig.builder("127.0.0.1", port, "ARCA", "STORESCP")
                    .presentationContexts(RequestorConfig.contexts(List.of(original.sopClassUid()),
                            List.of(EXPLICIT_LE)))
                    .maxPduLengthReceive(16384).responseTimeoutMs(30000).build();
            Association association = AssociationRequestor.connect(config);
            DimseResponse response = association.cstore(original.sopClassUid(), original.sopInstanceUid(), EXPLICIT_LE,
                    new ByteArrayInputStream(original.dataset()), CommandField.PRIORITY_MEDIUM);
            association.release();
            assertThat(response.status()).isEqualTo(Status.SUCCESS);

            Path written;
            try (Stream<Path> files = Files.list(output)) {
                written = files.filter(file -> file.getFileName().toString().endsWith(original.sopInstanceUid()))
                        .findFirst().orElseThrow();
            }
            Part10 stored = Part10.parse(Files.readAllBytes(written));
            assertThat(stored.transferSyntaxUid()).isEqualTo(EXPLICIT_LE);
            // --bit-preserving writes the received data set unchanged, trailing padding included.
            assertThat(sha256(stored.dataset())).isEqualTo(sha256(original.dataset()));
        } finally {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Polls until storescp accepts connections; storescp prints nothing when it is ready. */
    private static void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("storescp exited early").isTrue();
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("storescp did not listen on port " + port + " within 10 s");
    }
}
