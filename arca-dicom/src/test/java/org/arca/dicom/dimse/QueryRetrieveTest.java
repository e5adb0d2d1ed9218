package org.arca.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.arca.dicom.association.AcceptorConfig;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.association.PresentationContext;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.data.Tag;
import org.arca.dicom.pdu.RoleSelection;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryRetrieveTest {
    static final String CT = UID.CTImageStorage;
    static final String FIND = UID.StudyRootQueryRetrieveInformationModelFind;
    static final String MOVE = UID.StudyRootQueryRetrieveInformationModelMove;
    static final String GET = UID.StudyRootQueryRetrieveInformationModelGet;
    static final String COMMITMENT = UID.StorageCommitmentPushModel;
    static final String EXPLICIT_LE = UID.ExplicitVRLittleEndian;
    static final long SEED = 20261205L;
    /** An upper bound on the pending responses of the slow C-FIND, so a lost C-CANCEL ends the test. */
    static final int MAX_PENDING = 500;

    private final List<DicomServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(DicomServer::close);
    }

    private DicomServer start(AcceptorConfig.Builder config, DimseServiceRegistry registry) throws IOException {
        DicomServer server = new DicomServer(config.bindAddress("127.0.0.1").acceptedAbstractSyntax(uid -> true)
                .build(), registry.handler()).start();
        servers.add(server);
        return server;
    }

    private static RequestorConfig.Builder requestor(DicomServer server, String... sopClasses) {
        return RequestorConfig.builder("127.0.0.1", server.port(), "SCU", "ARCA")
                .presentationContexts(RequestorConfig.contexts(List.of(sopClasses), List.of(EXPLICIT_LE)))
                .responseTimeoutMs(60000);
    }

    private static byte[] randomDataset(int index) {
        byte[] bytes = new byte[10000 + index * 3000];
        new Random(SEED + index).nextBytes(bytes);
        return bytes;
    }

    /** A C-FIND service that returns two fixed studies. */
    static DimseService twoStudies() {
        return (request, responder) -> {
            responder.sendPending(new ByteArrayInputStream(Identifiers.study("DOE^JOHN", "1.2.3.1")));
            responder.sendPending(new ByteArrayInputStream(Identifiers.study("ROE^JANE", "1.2.3.2")));
            responder.send(Status.SUCCESS, null);
        };
    }

    /** A C-FIND service that sends pending responses, paced, until a C-CANCEL-RQ arrives or it sent MAX_PENDING. */
    static DimseService slowUntilCancelled(AtomicBoolean sawCancel, AtomicInteger sent) {
        return (request, responder) -> {
            for (int i = 0; i < MAX_PENDING; i++) {
                if (request.isCancelRequested()) {
                    sawCancel.set(true);
                    responder.send(Status.CANCEL, null);
                    return;
                }
                responder.sendPending(new ByteArrayInputStream(Identifiers.study("P^" + i, "1.2.3." + i)));
                sent.incrementAndGet();
                pace();
            }
            responder.send(Status.SUCCESS, null);
        };
    }

    /** Paces the slow C-FIND service; the test never waits on this for synchronisation. */
    private static void pace() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void cfindReturnsMatches() throws Exception {
        DicomServer server = start(AcceptorConfig.builder("ARCA"),
                new DimseServiceRegistry().register(CommandField.C_FIND_RQ, FIND, twoStudies()));
        Association association = AssociationRequestor.connect(requestor(server, FIND).build());
        List<String> names = new ArrayList<>();

        DimseResponse response = association.cfind(FIND, CommandField.PRIORITY_MEDIUM,
                Identifiers.study("", ""), EXPLICIT_LE, match -> names.add(decodeName(match)));
        association.release();

        assertThat(response.status()).isEqualTo(Status.SUCCESS);
        assertThat(names).containsExactly("DOE^JOHN", "ROE^JANE");
    }

    private static String decodeName(byte[] identifier) {
        try {
            return Identifiers.decode(identifier).getString(Tag.PatientName);
        } catch (IOException e) {
            throw new AssertionError("The identifier cannot be decoded: " + e, e);
        }
    }

    @Test
    void ccancelReachesRunningService() throws Exception {
        AtomicBoolean sawCancel = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        DicomServer server = start(AcceptorConfig.builder("ARCA"), new DimseServiceRegistry().registerVerification()
                .register(CommandField.C_FIND_RQ, FIND, slowUntilCancelled(sawCancel, sent)));
        Association association = AssociationRequestor.connect(requestor(server, FIND, UID.Verification).build());

        CFindOperation query = association.cfind(FIND, CommandField.PRIORITY_MEDIUM, Identifiers.study("", ""),
                EXPLICIT_LE);
        assertThat(query.nextMatch()).isNotNull();
        assertThat(query.nextMatch()).isNotNull();
        query.cancel();
        int afterCancel = 0;
        while (query.nextMatch() != null) {
            afterCancel++;
        }
        DimseResponse response = query.finalResponse();
        assertThat(association.cecho()).as("the association still works after the cancel").isZero();
        association.release();

        assertThat(response.status()).isEqualTo(Status.CANCEL);
        assertThat(sawCancel).isTrue();
        assertThat(sent.get()).isLessThan(MAX_PENDING);
        assertThat(2 + afterCancel).isEqualTo(sent.get());
    }

    /** A C-GET service that sends the given data sets back as CT C-STORE sub-operations. */
    static DimseService getService(Map<String, byte[]> instances) {
        return (request, responder) -> {
            Association association = request.association();
            int completed = 0;
            int failed = 0;
            int remaining = instances.size();
            for (Map.Entry<String, byte[]> instance : instances.entrySet()) {
                PresentationContext context = association.invocableContext(CT, EXPLICIT_LE);
                remaining--;
                if (context == null) {
                    failed++;
                    continue;
                }
                DimseResponse stored = association.cstore(CT, instance.getKey(), EXPLICIT_LE,
                        new ByteArrayInputStream(instance.getValue()), CommandField.PRIORITY_MEDIUM);
                if (stored.status() == Status.SUCCESS) {
                    completed++;
                } else {
                    failed++;
                }
                responder.sendPending(new SubOperationCounts(remaining, completed, failed, 0));
            }
            responder.sendFinal(new SubOperationCounts(0, completed, failed, 0), null);
        };
    }

    private static Map<String, byte[]> threeInstances() {
        Map<String, byte[]> instances = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            instances.put("1.2.3.4." + i, randomDataset(i));
        }
        return instances;
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
    void cgetStoresOnSameAssociation() throws Exception {
        Map<String, byte[]> instances = threeInstances();
        DicomServer server = start(AcceptorConfig.builder("ARCA"),
                new DimseServiceRegistry().register(CommandField.C_GET_RQ, GET, getService(instances)));
        Association association = AssociationRequestor.connect(requestor(server, GET, CT)
                .proposeScpRole(List.of(CT)).build());
        Map<String, byte[]> received = new ConcurrentHashMap<>();

        RetrieveResponse response = association.cget(GET, CommandField.PRIORITY_MEDIUM,
                Identifiers.study("", "1.2.3"), EXPLICIT_LE, collectingInto(received));
        association.release();

        assertThat(association.acceptedRole(CT)).isEqualTo(new RoleSelection(CT, true, true));
        assertThat(response.status()).as("seed " + SEED).isEqualTo(Status.SUCCESS);
        assertThat(response.counts().completed()).isEqualTo(3);
        assertThat(response.counts().failed()).isZero();
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(instances.keySet());
        for (String uid : instances.keySet()) {
            assertThat(received.get(uid)).as("seed " + SEED + ", " + uid).isEqualTo(instances.get(uid));
        }
    }

    @Test
    void cgetWithoutScpRoleSendsNothing() throws Exception {
        Map<String, byte[]> instances = threeInstances();
        DicomServer server = start(AcceptorConfig.builder("ARCA").scpRoleForSopClass(uid -> false),
                new DimseServiceRegistry().register(CommandField.C_GET_RQ, GET, getService(instances)));
        Association association = AssociationRequestor.connect(requestor(server, GET, CT)
                .proposeScpRole(List.of(CT)).build());
        Map<String, byte[]> received = new ConcurrentHashMap<>();

        RetrieveResponse response = association.cget(GET, CommandField.PRIORITY_MEDIUM,
                Identifiers.study("", "1.2.3"), EXPLICIT_LE, collectingInto(received));
        association.release();

        assertThat(association.acceptedRole(CT)).isEqualTo(new RoleSelection(CT, true, false));
        assertThat(response.status()).isEqualTo(Status.UNABLE_TO_PERFORM_SUB_OPERATIONS);
        assertThat(response.counts().failed()).isEqualTo(3);
        assertThat(received).isEmpty();
    }

    @Test
    void acceptorCstoreNeedsScpRole() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        DimseService tryStore = (request, responder) -> {
            try {
                request.association().cstore(CT, "1.2.3.9", EXPLICIT_LE, new ByteArrayInputStream(new byte[8]), 0);
                failure.complete(null);
            } catch (IllegalStateException e) {
                failure.complete(e);
            }
            responder.sendFinal(new SubOperationCounts(0, 0, 1, 0), null);
        };
        DicomServer server = start(AcceptorConfig.builder("ARCA"),
                new DimseServiceRegistry().register(CommandField.C_GET_RQ, GET, tryStore));
        Association association = AssociationRequestor.connect(requestor(server, GET, CT).build());

        RetrieveResponse response = association.cget(GET, 0, Identifiers.study("", "1.2.3"), EXPLICIT_LE,
                collectingInto(new ConcurrentHashMap<>()));
        association.release();

        assertThat(response.status()).isEqualTo(Status.UNABLE_TO_PERFORM_SUB_OPERATIONS);
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SCP role");
    }

    @Test
    void cmoveStoresAtDestination() throws Exception {
        Map<String, byte[]> instances = threeInstances();
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        Map<String, CStoreRequest> requests = new ConcurrentHashMap<>();
        DicomServer destination = start(AcceptorConfig.builder("DEST"), new DimseServiceRegistry()
                .register(CommandField.C_STORE_RQ, CT, new CStoreScp((association, context, request, dataset) -> {
                    requests.put(request.affectedSopInstanceUid(), request);
                    return collectingInto(received).store(association, context, request, dataset);
                })));
        DimseService move = (request, responder) -> {
            if (!"DEST".equals(request.command().getString(CommandTag.MOVE_DESTINATION))) {
                throw new DimseException(Status.MOVE_DESTINATION_UNKNOWN, "Unknown move destination");
            }
            Association store = AssociationRequestor.connect("127.0.0.1", destination.port(), "ARCA", "DEST",
                    RequestorConfig.contexts(List.of(CT), List.of(EXPLICIT_LE)));
            int completed = 0;
            for (Map.Entry<String, byte[]> instance : instances.entrySet()) {
                store.cstore(CT, instance.getKey(), EXPLICIT_LE, new ByteArrayInputStream(instance.getValue()), 0,
                        request.association().callingAeTitle(), request.messageId());
                completed++;
                responder.sendPending(new SubOperationCounts(instances.size() - completed, completed, 0, 0));
            }
            store.release();
            responder.sendFinal(new SubOperationCounts(0, completed, 0, 0), null);
        };
        DicomServer server = start(AcceptorConfig.builder("ARCA"),
                new DimseServiceRegistry().register(CommandField.C_MOVE_RQ, MOVE, move));
        Association association = AssociationRequestor.connect(requestor(server, MOVE).build());

        RetrieveResponse response = association.cmove(MOVE, 0, "DEST", Identifiers.study("", "1.2.3"),
                EXPLICIT_LE);
        RetrieveResponse unknown = association.cmove(MOVE, 0, "NOWHERE", Identifiers.study("", "1.2.3"),
                EXPLICIT_LE);
        association.release();

        assertThat(response.status()).isEqualTo(Status.SUCCESS);
        assertThat(response.counts()).isEqualTo(new SubOperationCounts(0, 3, 0, 0));
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(instances.keySet());
        assertThat(requests.values()).allSatisfy(request -> {
            assertThat(request.moveOriginatorAeTitle()).isEqualTo("SCU");
            assertThat(request.moveOriginatorMessageId()).isEqualTo(1);
        });
        assertThat(unknown.status()).isEqualTo(Status.MOVE_DESTINATION_UNKNOWN);
    }

    @Test
    void nactionThenEventReportOnSameAssociation() throws Exception {
        byte[] request = Identifiers.study("COMMIT^ME", "1.2.3.77");
        CompletableFuture<DimseResponse> eventReportResponse = new CompletableFuture<>();
        DimseService commitment = (action, responder) -> {
            byte[] dataset = action.dataset().readAllBytes();
            responder.send(Status.SUCCESS, null);
            // Storage Commitment result on the same association: event type 1, all instances committed.
            eventReportResponse.complete(action.association().neventReport(COMMITMENT,
                    UID.StorageCommitmentPushModelInstance, 1, dataset, EXPLICIT_LE));
        };
        DicomServer server = start(AcceptorConfig.builder("ARCA"),
                new DimseServiceRegistry().register(CommandField.N_ACTION_RQ, COMMITMENT, commitment));
        Association association = AssociationRequestor.connect(requestor(server, COMMITMENT).build());
        CompletableFuture<DimseRequest> event = new CompletableFuture<>();
        CompletableFuture<byte[]> eventDataset = new CompletableFuture<>();
        association.services().register(CommandField.N_EVENT_REPORT_RQ, COMMITMENT, (report, responder) -> {
            eventDataset.complete(report.dataset().readAllBytes());
            event.complete(report);
            responder.send(Status.SUCCESS, null);
        });

        DimseResponse actionResponse = association.naction(COMMITMENT, UID.StorageCommitmentPushModelInstance, 1,
                request, EXPLICIT_LE);
        DimseRequest report = event.get(30, TimeUnit.SECONDS);
        DimseResponse reportResponse = eventReportResponse.get(30, TimeUnit.SECONDS);
        association.release();

        assertThat(actionResponse.status()).isEqualTo(Status.SUCCESS);
        assertThat(report.command().getInt(CommandTag.EVENT_TYPE_ID, -1)).isEqualTo(1);
        assertThat(report.command().getString(CommandTag.AFFECTED_SOP_INSTANCE_UID))
                .isEqualTo(UID.StorageCommitmentPushModelInstance);
        assertThat(eventDataset.get()).isEqualTo(request);
        assertThat(reportResponse.status()).isEqualTo(Status.SUCCESS);
    }
}
