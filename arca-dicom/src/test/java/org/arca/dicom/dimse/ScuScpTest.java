package org.arca.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.arca.dicom.association.AcceptorConfig;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.association.RequestorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScuScpTest {
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final String VERIFICATION = "1.2.840.10008.1.1";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final long SEED = 20261204L;

    private DicomServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private DicomServer start(AcceptorConfig.Builder config, StorageHandler handler) throws IOException {
        DimseServiceRegistry registry = new DimseServiceRegistry().registerVerification()
                .register(CommandField.C_STORE_RQ, CT, new CStoreScp(handler));
        server = new DicomServer(config.bindAddress("127.0.0.1").acceptedAbstractSyntax(uid -> true).build(),
                registry.handler()).start();
        return server;
    }

    private Association connect(int maxPduLength) throws IOException {
        return AssociationRequestor.connect(RequestorConfig.builder("127.0.0.1", server.port(), "SCU", "ARCA")
                .presentationContexts(RequestorConfig.contexts(List.of(VERIFICATION, CT, MR), List.of(EXPLICIT_LE)))
                .maxPduLengthReceive(maxPduLength).responseTimeoutMs(60000).build());
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static StorageHandler collectingInto(Map<String, byte[]> received) {
        return (association, context, request, dataset) -> {
            try {
                received.put(request.affectedSopInstanceUid(), dataset.readAllBytes());
            } catch (IOException e) {
                throw new DimseException(Status.PROCESSING_FAILURE, e.toString(), e);
            }
            return Status.SUCCESS;
        };
    }

    @Test
    void cechoAndRelease() throws Exception {
        start(AcceptorConfig.builder("ARCA"), collectingInto(new ConcurrentHashMap<>()));
        Association association = connect(16384);
        assertThat(association.name()).startsWith("SCU->ARCA(");
        assertThat(association.cecho()).isEqualTo(Status.SUCCESS);
        association.release();
        assertThat(association.state()).isEqualTo(org.arca.dicom.association.State.STA1);
        assertThat(server.awaitAssociations(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void fragmentsToPeerMaxPduLength() throws Exception {
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        // The server rejects any P-DATA-TF above 16384 bytes with an A-ABORT, so success proves fragmentation.
        start(AcceptorConfig.builder("ARCA").maxPduLengthReceive(16384), collectingInto(received));
        byte[] dataset = randomBytes(1 << 20, SEED);
        Association association = connect(16384);
        assertThat(association.peerMaxPduLength()).isEqualTo(16384);

        DimseResponse response = association.cstore(CT, "1.2.3.1", EXPLICIT_LE, new ByteArrayInputStream(dataset),
                CommandField.PRIORITY_MEDIUM);
        association.release();

        assertThat(response.status()).as("seed " + SEED).isEqualTo(Status.SUCCESS);
        assertThat(sha256(received.get("1.2.3.1"))).as("seed " + SEED).isEqualTo(sha256(dataset));
    }

    @Test
    void sendLimitBelowPeerMaximum() throws Exception {
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        start(AcceptorConfig.builder("ARCA").maxPduLengthReceive(262_144), collectingInto(received));
        byte[] dataset = randomBytes(1 << 20, SEED);
        Association association = connect(16384);

        association.limitSendPduLength(4096);
        int limitedPdvLength = association.maxPdvDataLength();
        DimseResponse response = association.cstore(CT, "1.2.3.2", EXPLICIT_LE, new ByteArrayInputStream(dataset),
                CommandField.PRIORITY_MEDIUM);
        association.limitSendPduLength(0);
        int unlimitedPdvLength = association.maxPdvDataLength();
        association.release();

        assertThat(limitedPdvLength).as("PDV data bytes under a 4096-byte PDU limit").isEqualTo(4090);
        assertThat(unlimitedPdvLength).as("PDV data bytes without a limit").isEqualTo(262_138);
        assertThat(response.status()).as("seed " + SEED).isEqualTo(Status.SUCCESS);
        assertThat(sha256(received.get("1.2.3.2"))).as("seed " + SEED).isEqualTo(sha256(dataset));
        assertThatThrownBy(() -> association.limitSendPduLength(100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeDatasetStreamsWithSmallHeap() throws Exception {
        long size = 512L << 20;
        long[] count = new long[1];
        long[] peakHeapIncrease = new long[1];
        CRC32 receivedCrc = new CRC32();
        long baseline = usedHeapAfterGc();
        start(AcceptorConfig.builder("ARCA"), (association, context, request, dataset) -> {
            byte[] buffer = new byte[65536];
            try {
                for (int n; (n = dataset.read(buffer)) > 0; ) {
                    receivedCrc.update(buffer, 0, n);
                    long before = count[0];
                    count[0] += n;
                    if (before >> 26 != count[0] >> 26) {
                        peakHeapIncrease[0] = Math.max(peakHeapIncrease[0], usedHeapAfterGc() - baseline);
                    }
                }
            } catch (IOException e) {
                throw new DimseException(Status.PROCESSING_FAILURE, e.toString(), e);
            }
            return Status.SUCCESS;
        });
        GeneratedStream generated = new GeneratedStream(size, SEED);

        Association association = connect(AcceptorConfig.DEFAULT_MAX_PDU_LENGTH);
        DimseResponse response = association.cstore(CT, "1.2.3.2", EXPLICIT_LE, generated,
                CommandField.PRIORITY_MEDIUM);
        association.release();

        assertThat(response.status()).isEqualTo(Status.SUCCESS);
        assertThat(count[0]).isEqualTo(size);
        assertThat(receivedCrc.getValue()).isEqualTo(generated.crc.getValue());
        // Buffering the data set anywhere would raise the heap by 512 MiB; allow 64 MiB for noise.
        assertThat(peakHeapIncrease[0]).as("peak heap increase in bytes").isLessThan(64L << 20);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A seeded pseudo-random stream of a given size that records the CRC32 of what it returned. */
    static final class GeneratedStream extends InputStream {
        final CRC32 crc = new CRC32();
        private long remaining;
        private long state;

        GeneratedStream(long size, long seed) {
            remaining = size;
            state = seed | 1;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(length, remaining);
            for (int i = 0; i < count; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                buffer[offset + i] = (byte) state;
            }
            crc.update(buffer, offset, count);
            remaining -= count;
            return count;
        }
    }

    @Test
    void concurrentAssociations() throws Exception {
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        start(AcceptorConfig.builder("ARCA").maxAssociations(8), collectingInto(received));
        int clients = 8;
        int storesPerClient = 10;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                int clientId = client;
                results.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    Association association = connect(32768);
                    for (int i = 0; i < storesPerClient; i++) {
                        byte[] data = randomBytes(100_000, SEED + clientId * 100 + i);
                        statuses.add(association.cstore(CT, "1.2.3." + clientId + "." + i, EXPLICIT_LE,
                                new ByteArrayInputStream(data), CommandField.PRIORITY_MEDIUM).status());
                    }
                    association.release();
                    return statuses;
                }));
            }
            for (Future<List<Integer>> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).containsOnly(Status.SUCCESS).hasSize(storesPerClient);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(received).hasSize(clients * storesPerClient);
        for (int client = 0; client < clients; client++) {
            for (int i = 0; i < storesPerClient; i++) {
                assertThat(sha256(received.get("1.2.3." + client + "." + i))).as("seed " + (SEED + client * 100 + i))
                        .isEqualTo(sha256(randomBytes(100_000, SEED + client * 100 + i)));
            }
        }
    }

    @Test
    void unsupportedSopClassKeepsAssociation() throws Exception {
        start(AcceptorConfig.builder("ARCA"), collectingInto(new ConcurrentHashMap<>()));
        Association association = connect(16384);
        DimseResponse response = association.cstore(MR, "1.2.3.3", EXPLICIT_LE, new ByteArrayInputStream(new byte[10]),
                CommandField.PRIORITY_MEDIUM);
        assertThat(response.status()).isEqualTo(Status.SOP_CLASS_NOT_SUPPORTED);
        assertThat(association.cecho()).isEqualTo(Status.SUCCESS);
        association.release();
    }

    @Test
    void unknownCommandFieldGetsUnrecognizedOperation() throws Exception {
        start(AcceptorConfig.builder("ARCA"), collectingInto(new ConcurrentHashMap<>()));
        Association association = connect(16384);
        int contextId = association.acceptedContext(VERIFICATION, null).id();
        CommandSet request = new CommandSet().putString(CommandTag.AFFECTED_SOP_CLASS_UID, VERIFICATION)
                .putUS(CommandTag.COMMAND_FIELD, 0x0099).putUS(CommandTag.MESSAGE_ID, 77)
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, CommandTag.NO_DATA_SET);
        CommandSet response = DimseScu.invoke(association, contextId, request, null);
        assertThat(response.status()).isEqualTo(Status.UNRECOGNIZED_OPERATION);
        assertThat(response.getInt(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, -1)).isEqualTo(77);
        assertThat(association.cecho()).isEqualTo(Status.SUCCESS);
        association.release();
    }

    @Test
    void sopClassDifferentFromContextFails() throws Exception {
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        start(AcceptorConfig.builder("ARCA"), collectingInto(received));
        Association association = connect(16384);
        int mrContext = association.acceptedContext(MR, EXPLICIT_LE).id();
        // A C-STORE-RQ for CT sent on the MR presentation context.
        CommandSet response = DimseScu.invoke(association, mrContext,
                new CStoreRequest(5, 0, CT, "1.2.3.4", null, -1).toCommandSet(), new ByteArrayInputStream(new byte[5000]));
        assertThat(response.status()).isEqualTo(Status.SOP_CLASS_NOT_SUPPORTED);
        assertThat(response.getString(CommandTag.ERROR_COMMENT)).contains(CT);
        assertThat(received).isEmpty();
        assertThat(association.cecho()).isEqualTo(Status.SUCCESS);
        association.release();
    }

    @Test
    void handlerFailureBecomesStatusAndDatasetIsDrained() throws Exception {
        start(AcceptorConfig.builder("ARCA"), (association, context, request, dataset) -> {
            throw new DimseException(Status.OUT_OF_RESOURCES, "Disk full while storing " + "x".repeat(100));
        });
        Association association = connect(16384);
        DimseResponse response = association.cstore(CT, "1.2.3.5", EXPLICIT_LE,
                new ByteArrayInputStream(new byte[200_000]), CommandField.PRIORITY_MEDIUM);
        assertThat(response.status()).isEqualTo(Status.OUT_OF_RESOURCES);
        assertThat(response.errorComment()).startsWith("Disk full while storing").hasSize(64);
        assertThat(association.cecho()).isEqualTo(Status.SUCCESS);
        association.release();
    }

    @Test
    void gracefulStopFinishesRunningOperation() throws Exception {
        CountDownLatch storeEntered = new CountDownLatch(1);
        CountDownLatch storeMayReturn = new CountDownLatch(1);
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        // A short ARTIM, because the busy client does not close after the server's A-ABORT.
        start(AcceptorConfig.builder("ARCA").artimTimeoutMs(1000), (association, context, request, dataset) -> {
            try {
                received.put(request.affectedSopInstanceUid(), dataset.readAllBytes());
                storeEntered.countDown();
                storeMayReturn.await(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                throw new DimseException(Status.PROCESSING_FAILURE, e.toString(), e);
            }
            return Status.SUCCESS;
        });
        Association busy = connect(16384);
        Association idle = connect(16384);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<DimseResponse> store = pool.submit(() -> busy.cstore(CT, "1.2.3.6", EXPLICIT_LE,
                    new ByteArrayInputStream(new byte[1000]), CommandField.PRIORITY_MEDIUM));
            assertThat(storeEntered.await(10, TimeUnit.SECONDS)).isTrue();

            server.stopAccepting();
            assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close())
                    .isInstanceOf(ConnectException.class);

            Future<?> closing = pool.submit(server::close);
            // The idle association is aborted at once: its reader closes it at the server's A-ABORT.
            assertThat(idle.awaitClosed(10000)).isTrue();
            assertThat(idle.state()).isEqualTo(org.arca.dicom.association.State.STA1);
            assertThatThrownBy(idle::cecho).isInstanceOf(IOException.class);

            storeMayReturn.countDown();
            assertThat(store.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.SUCCESS);
            closing.get(40, TimeUnit.SECONDS);
            assertThat(server.openAssociations()).isZero();
            assertThat(received).containsKey("1.2.3.6");
        } finally {
            storeMayReturn.countDown();
            pool.shutdownNow();
            busy.abort();
            idle.abort();
        }
    }

    @Test
    void rejectionCarriesAssociateRj() throws Exception {
        start(AcceptorConfig.builder("ARCA"), collectingInto(new ConcurrentHashMap<>()));
        RequestorConfig config = RequestorConfig.builder("127.0.0.1", server.port(), "SCU", "NOT_ARCA").build();
        org.arca.dicom.association.AssociationRejectedException error = org.assertj.core.api.Assertions
                .catchThrowableOfType(() -> AssociationRequestor.connect(config),
                        org.arca.dicom.association.AssociationRejectedException.class);
        assertThat(error.rejection()).isEqualTo(new org.arca.dicom.pdu.AAssociateRj(1, 1, 7));
    }

    @Test
    void awaitAssociationsAfterRelease() throws Exception {
        start(AcceptorConfig.builder("ARCA"), collectingInto(new ConcurrentHashMap<>()));
        Association association = connect(16384);
        server.stopAccepting();
        assertThat(server.awaitAssociations(Duration.ofMillis(200))).isFalse();
        assertThat(association.cecho()).isEqualTo(Status.SUCCESS);
        association.release();
        assertThat(server.awaitAssociations(Duration.ofSeconds(10))).isTrue();
    }
}
