package org.arca.dicom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.arca.dicom.association.AcceptorConfig;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.dimse.DimseServiceRegistry;
import org.arca.dicom.pdu.AAbort;
import org.arca.dicom.pdu.AAssociateAc;
import org.arca.dicom.pdu.AAssociateRj;
import org.arca.dicom.pdu.AReleaseRp;
import org.arca.dicom.pdu.AReleaseRq;
import org.arca.dicom.pdu.PDataTf;
import org.arca.dicom.pdu.Pdu;
import org.arca.dicom.pdu.PduException;
import org.arca.dicom.pdu.PduReader;
import org.arca.dicom.pdu.PduWriter;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the association state machine over real sockets: a {@link DicomServer} on port 0
 * gets one connection per case with a sequence of valid, mutated and random PDUs, sent before
 * or after a valid A-ASSOCIATE-RQ. The server must only send well-formed PDUs, may follow an
 * A-ABORT or A-ASSOCIATE-RJ only with another A-ABORT, and must close the connection once the
 * peer half-closes it (which this test does after the server's A-ABORT or RJ, as a conformant
 * peer would, or after the server stays silent). Every 50 cases and at the end a normal C-ECHO
 * association must still work, and no association may stay open. The case count defaults to 10,000
 * connections, eight open at a time.
 */
class AssociationFuzzTest {

    /** Time the server gets to reply before the case stops waiting and half-closes the connection. */
    private static final int QUIET_MS = 100;
    /** Time the server gets to close the connection; well above the ARTIM timeout below. */
    private static final int CLOSE_TIMEOUT_MS = 10_000;
    private static final int ECHO_EVERY_CASES = 50;
    /** Connections open at once: each case mostly waits for the server, so parallel cases fit in a CI run. */
    private static final int PARALLEL_CONNECTIONS = 8;

    private DicomServer server;

    @BeforeEach
    void startServer() throws IOException {
        AcceptorConfig config = AcceptorConfig.builder("ARCA").bindAddress("127.0.0.1").port(0)
                .artimTimeoutMs(2000).idleTimeoutMs(5000).build();
        server = new DicomServer(config, new DimseServiceRegistry().registerVerification().handler()).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void mutatedPduSequencesKeepServerUp() throws Exception {
        FuzzBudget budget = FuzzBudget.of("AssociationFuzzTest", 1.0);
        List<byte[]> seeds = PduSeeds.all();
        AtomicIntegerArray endings = new AtomicIntegerArray(Ending.values().length);
        ExecutorService connections = Executors.newFixedThreadPool(PARALLEL_CONNECTIONS);
        try {
            for (int first = 0; first < budget.cases; first += ECHO_EVERY_CASES) {
                runBlock(budget, seeds, endings, connections, first, Math.min(budget.cases, first + ECHO_EVERY_CASES));
                assertEchoWorks(budget.where(first));
            }
        } finally {
            connections.shutdownNow();
        }

        assertEchoWorks("after all cases");
        assertThat(server.awaitAssociations(Duration.ofSeconds(30))).as("every association closed").isTrue();
        budget.printDone(budget.cases, summary(endings));
        assertThat(endings.get(Ending.ABORTED_OR_REJECTED.ordinal())).as("cases the server aborted or rejected")
                .isPositive();
    }

    /**
     * Runs cases {@code first} to {@code end - 1} on parallel connections. Each case draws from its own
     * random generator, so a case number and the seed repeat its bytes whatever the thread order.
     */
    private void runBlock(FuzzBudget budget, List<byte[]> seeds, AtomicIntegerArray endings,
            ExecutorService connections, int first, int end) throws Exception {
        List<Future<Ending>> results = new ArrayList<>();
        for (int i = first; i < end; i++) {
            int caseNumber = i;
            results.add(connections.submit(() -> {
                Random random = budget.randomForCase(caseNumber);
                return runCase(random, new Mutator(random, true), seeds, budget.where(caseNumber));
            }));
        }
        for (Future<Ending> result : results) {
            try {
                endings.incrementAndGet(result.get().ordinal());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw (Exception) e.getCause();
            }
        }
    }

    /** How the server ended a case. */
    private enum Ending {
        ABORTED_OR_REJECTED, CLOSED_WITHOUT_REPLY, CLOSED_AFTER_HALF_CLOSE
    }

    private Ending runCase(Random random, Mutator mutator, List<byte[]> seeds, String where) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setTcpNoDelay(true);
            sendQuietly(socket.getOutputStream(), caseBytes(random, mutator, seeds));
            return awaitEnd(socket, where);
        }
    }

    /** Builds the bytes of one case: maybe a valid A-ASSOCIATE-RQ, then zero to four other PDUs. */
    private static byte[] caseBytes(Random random, Mutator mutator, List<byte[]> seeds) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int start = random.nextInt(10);
        if (start < 6) {
            out.writeBytes(PduWriter.encode(PduSeeds.echoRq()));
        } else if (start < 8) {
            out.writeBytes(mutator.mutate(PduWriter.encode(PduSeeds.echoRq())));
        }
        int more = random.nextInt(5);
        for (int p = 0; p < more; p++) {
            byte[] pdu = pduAfterRequest(random, seeds);
            out.writeBytes(random.nextInt(10) < 6 ? mutator.mutate(pdu) : pdu);
        }
        return out.toByteArray();
    }

    private static byte[] pduAfterRequest(Random random, List<byte[]> seeds) {
        return switch (random.nextInt(5)) {
            case 0 -> PduWriter.encode(PduSeeds.echoCommand());
            case 1 -> PduWriter.encode(new AReleaseRq());
            case 2 -> {
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                yield garbage;
            }
            default -> seeds.get(random.nextInt(seeds.size()));
        };
    }

    /** Writes the case; the server may close the connection first, which is one of its allowed replies. */
    private static void sendQuietly(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // The server aborted and closed before the peer finished sending.
        }
    }

    /** Reads the server's PDUs until it closes the connection, and checks each one. */
    private static Ending awaitEnd(Socket socket, String where) throws IOException {
        PduReader reader = new PduReader(socket.getInputStream(), 1 << 20);
        List<Pdu> received = new ArrayList<>();
        boolean halfClosed = false;
        socket.setSoTimeout(QUIET_MS);
        while (true) {
            Pdu pdu;
            try {
                pdu = reader.read();
            } catch (SocketTimeoutException e) {
                if (halfClosed) {
                    throw new AssertionError(where + ": server kept the connection open " + CLOSE_TIMEOUT_MS
                            + " ms after the peer half-closed it; received " + received);
                }
                socket.shutdownOutput();
                socket.setSoTimeout(CLOSE_TIMEOUT_MS);
                halfClosed = true;
                continue;
            } catch (SocketException | java.io.EOFException e) {
                pdu = null;
            } catch (PduException e) {
                throw new AssertionError(where + ": server sent a malformed PDU after " + received + ": "
                        + e.getMessage(), e);
            }
            if (pdu == null) {
                return endingOf(received, halfClosed);
            }
            checkReply(pdu, received, where);
            received.add(pdu);
            if ((pdu instanceof AAbort || pdu instanceof AAssociateRj) && !halfClosed) {
                // Sta13: the server now waits for this side to close, as a conformant peer does.
                socket.shutdownOutput();
                socket.setSoTimeout(CLOSE_TIMEOUT_MS);
                halfClosed = true;
            }
        }
    }

    private static void checkReply(Pdu pdu, List<Pdu> received, String where) {
        assertThat(pdu).as(where + ": PDU from the server after " + received)
                .isInstanceOfAny(AAssociateAc.class, AAssociateRj.class, PDataTf.class, AReleaseRp.class,
                        AAbort.class);
        // PS3.8 Table 9-10, Sta13: AA-7 replies to an A-ASSOCIATE-RQ or an invalid PDU with another A-ABORT.
        boolean ended = received.stream().anyMatch(p -> p instanceof AAbort || p instanceof AAssociateRj);
        if (ended) {
            assertThat(pdu).as(where + ": PDU from the server after " + received).isInstanceOf(AAbort.class);
        }
    }

    private static Ending endingOf(List<Pdu> received, boolean halfClosed) {
        boolean ended = received.stream().anyMatch(p -> p instanceof AAbort || p instanceof AAssociateRj);
        if (ended) {
            return Ending.ABORTED_OR_REJECTED;
        }
        return halfClosed ? Ending.CLOSED_AFTER_HALF_CLOSE : Ending.CLOSED_WITHOUT_REPLY;
    }

    private void assertEchoWorks(String where) throws IOException {
        Association association = AssociationRequestor.connect("127.0.0.1", server.port(), "ECHOSCU", "ARCA",
                List.of(new PresentationContextRq(1, UID.Verification, List.of(UID.ImplicitVRLittleEndian))));
        try {
            assertThat(association.cecho()).as(where + ": C-ECHO status").isZero();
        } finally {
            association.release();
        }
    }

    private static String summary(AtomicIntegerArray endings) {
        StringBuilder text = new StringBuilder();
        for (Ending ending : Ending.values()) {
            text.append(ending.name().toLowerCase().replace('_', ' ')).append(": ").append(endings.get(ending.ordinal()))
                    .append("; ");
        }
        return text.toString();
    }
}
