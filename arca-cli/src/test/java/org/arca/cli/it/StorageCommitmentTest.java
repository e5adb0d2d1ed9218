package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.arca.dicom.association.AcceptorConfig;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.dimse.CommandField;
import org.arca.dicom.dimse.CommandTag;
import org.arca.dicom.dimse.DimseRequest;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.DimseService;
import org.arca.dicom.dimse.DimseServiceRegistry;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.pdu.RoleSelection;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.DataDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage Commitment Push Model against {@code arca serve}, with Arca's own SCU as the
 * requester: reports on the request's association and on a new one, failure reasons, invalid
 * requests, and a kill -9 between the N-ACTION-RSP and the report.
 */
class StorageCommitmentTest {

    private static final String COMMITMENT = UID.StorageCommitmentPushModel;
    private static final String EXPLICIT_LE = UID.ExplicitVRLittleEndian;
    private static final String REQUESTER_AE = "MODALITY";
    private static final long TIMEOUT_S = 60;

    @TempDir
    Path temp;

    private final BlockingQueue<Report> listenerReports = new LinkedBlockingQueue<>();
    private DicomServer listener;
    private List<TestInstance> instances;

    /** A received N-EVENT-REPORT-RQ, its Event Information and the roles of the association it came on. */
    record Report(int eventTypeId, String sopInstanceUid, Attributes eventInformation, RoleSelection role,
            String callingAeTitle) {
    }

    @BeforeEach
    void startListenerAndGenerate() throws Exception {
        listener = new DicomServer(AcceptorConfig.builder(REQUESTER_AE)
                .acceptedAbstractSyntax(COMMITMENT::equals)
                .scpRoleForSopClass(COMMITMENT::equals)
                .build(), new DimseServiceRegistry()
                .register(CommandField.N_EVENT_REPORT_RQ, COMMITMENT, collectInto(listenerReports, null))
                .handler()).start();
        Path ct = temp.resolve("ct");
        Peers.generate("ct", "--slices", "3", "--matrix", "64", "--out", ct.toString());
        instances = TestInstance.readAll(ct);
    }

    @AfterEach
    void stopListener() {
        listener.close();
    }

    @Test
    void storedInstancesCommittedOnSameAssociation() throws Exception {
        try (ArcaProcess arca = startArca()) {
            storeAll(arca);
            Association association = connect(arca);
            BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
            association.services().register(CommandField.N_EVENT_REPORT_RQ, COMMITMENT, collectInto(reports, null));

            DimseResponse response = naction(association, 1, "1.2.826.0.1.3680043.8.498.7001", references(instances));
            Report report = reports.poll(TIMEOUT_S, TimeUnit.SECONDS);
            association.release();

            assertThat(response.status()).isEqualTo(Status.SUCCESS);
            assertThat(report).as("report on the request's association").isNotNull();
            assertThat(report.eventTypeId()).isEqualTo(1);
            assertThat(report.sopInstanceUid()).isEqualTo(UID.StorageCommitmentPushModelInstance);
            assertThat(report.eventInformation().getString(Tag.TransactionUID))
                    .isEqualTo("1.2.826.0.1.3680043.8.498.7001");
            assertThat(report.eventInformation().getString(Tag.RetrieveAETitle)).isEqualTo("ARCA");
            assertThat(uids(report.eventInformation().getSequence(Tag.ReferencedSOPSequence)))
                    .containsExactlyElementsOf(instances.stream().map(TestInstance::sopInstanceUid).toList());
            assertThat(report.eventInformation().getSequence(Tag.FailedSOPSequence)).isNull();
            assertThat(listenerReports).isEmpty();
        }
    }

    @Test
    void failuresCarryTheirReasons() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = startArca()) {
            storeAll(arca);
            DamagedBlobs.flipOneByte(data, instances.get(1).sopInstanceUid());
            List<String[]> references = new ArrayList<>(references(instances));
            references.add(new String[] {instances.get(0).sopClassUid(), "1.2.826.0.1.3680043.8.498.404"});
            references.set(2, new String[] {UID.SecondaryCaptureImageStorage, instances.get(2).sopInstanceUid()});
            Association association = connect(arca);
            BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
            association.services().register(CommandField.N_EVENT_REPORT_RQ, COMMITMENT, collectInto(reports, null));

            DimseResponse response = naction(association, 1, "1.2.826.0.1.3680043.8.498.7002", references);
            Report report = reports.poll(TIMEOUT_S, TimeUnit.SECONDS);
            association.release();

            assertThat(response.status()).isEqualTo(Status.SUCCESS);
            assertThat(report).as("report on the request's association").isNotNull();
            assertThat(report.eventTypeId()).isEqualTo(2);
            assertThat(uids(report.eventInformation().getSequence(Tag.ReferencedSOPSequence)))
                    .containsExactly(instances.get(0).sopInstanceUid());
            Sequence failed = report.eventInformation().getSequence(Tag.FailedSOPSequence);
            assertThat(uids(failed)).containsExactly(instances.get(1).sopInstanceUid(),
                    instances.get(2).sopInstanceUid(), "1.2.826.0.1.3680043.8.498.404");
            assertThat(failed.get(0).getInt(Tag.FailureReason, -1)).as("corrupt blob").isEqualTo(0x0110);
            assertThat(failed.get(1).getInt(Tag.FailureReason, -1)).as("other SOP class").isEqualTo(0x0119);
            assertThat(failed.get(2).getInt(Tag.FailureReason, -1)).as("unknown instance").isEqualTo(0x0112);
            assertThat(failed.get(1).getString(Tag.ReferencedSOPClassUID))
                    .isEqualTo(UID.SecondaryCaptureImageStorage);
        }
    }

    @Test
    void invalidRequestsGetFailureStatus() throws Exception {
        try (ArcaProcess arca = startArca()) {
            Association association = connect(arca);
            List<String[]> none = List.of();
            List<String[]> oneReference = List.<String[]>of(
                    new String[] {UID.CTImageStorage, "1.2.826.0.1.3680043.8.498.1"});

            DimseResponse noTransaction = naction(association, 1, null, oneReference);
            DimseResponse emptySequence = naction(association, 1, "1.2.826.0.1.3680043.8.498.7003", none);
            DimseResponse badActionType = naction(association, 2, "1.2.826.0.1.3680043.8.498.7004", oneReference);
            DimseResponse badItem = naction(association, 1, "1.2.826.0.1.3680043.8.498.7005",
                    List.<String[]>of(new String[] {UID.CTImageStorage, "not-a-uid"}));
            association.release();

            assertThat(noTransaction.status()).isEqualTo(0x0115);
            assertThat(emptySequence.status()).isEqualTo(0x0115);
            assertThat(badActionType.status()).isEqualTo(0x0123);
            assertThat(badItem.status()).isEqualTo(0x0106);
            assertThat(noTransaction.errorComment()).contains("Transaction UID");
        }
    }

    @Test
    void reportAfterReleaseGoesToNewAssociation() throws Exception {
        try (ArcaProcess arca = startArca()) {
            storeAll(arca);
            Association association = connect(arca);

            // No N-EVENT-REPORT service on this association: if the report overtakes the release,
            // the requester responds with 0x0122 and Arca must still use a new association.
            DimseResponse response = naction(association, 1, "1.2.826.0.1.3680043.8.498.7006", references(instances));
            association.release();
            Report report = listenerReports.poll(TIMEOUT_S, TimeUnit.SECONDS);

            assertThat(response.status()).isEqualTo(Status.SUCCESS);
            assertThat(report).as("report on a new association\n" + arca.log()).isNotNull();
            assertThat(report.callingAeTitle()).isEqualTo("ARCA");
            assertThat(report.role()).isEqualTo(new RoleSelection(COMMITMENT, false, true));
            assertThat(report.eventTypeId()).isEqualTo(1);
            assertThat(report.eventInformation().getString(Tag.TransactionUID))
                    .isEqualTo("1.2.826.0.1.3680043.8.498.7006");
            assertThat(uids(report.eventInformation().getSequence(Tag.ReferencedSOPSequence))).hasSize(3);
        }
    }

    @Test
    void reportSurvivesKillBeforeDelivery() throws Exception {
        Path data = temp.resolve("arca-data");
        CountDownLatch unblock = new CountDownLatch(1);
        try (ArcaProcess arca = startArca()) {
            storeAll(arca);
            Association association = connect(arca);
            BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
            association.services().register(CommandField.N_EVENT_REPORT_RQ, COMMITMENT,
                    collectInto(reports, unblock));

            DimseResponse response = naction(association, 1, "1.2.826.0.1.3680043.8.498.7007", references(instances));
            // The report arrived, but its N-EVENT-REPORT-RSP is held back, so Arca has not journaled delivery.
            Report firstReport = reports.poll(TIMEOUT_S, TimeUnit.SECONDS);
            arca.kill9();
            unblock.countDown();
            association.abort();

            assertThat(response.status()).isEqualTo(Status.SUCCESS);
            assertThat(firstReport).isNotNull();
        }
        try (ArcaProcess restarted = startArca()) {
            Report report = listenerReports.poll(TIMEOUT_S, TimeUnit.SECONDS);

            assertThat(report).as("report after restart\n" + restarted.log()).isNotNull();
            assertThat(report.eventTypeId()).isEqualTo(1);
            assertThat(report.eventInformation().getString(Tag.TransactionUID))
                    .isEqualTo("1.2.826.0.1.3680043.8.498.7007");
            String journaled = "Journaled the delivered report of Storage Commitment transaction "
                    + "1.2.826.0.1.3680043.8.498.7007";
            assertThat(restarted.awaitLog(journaled, Duration.ofSeconds(TIMEOUT_S))).contains(journaled)
                    .contains("1 Storage Commitment requests from an earlier run");
            assertThat(restarted.terminate(Duration.ofSeconds(TIMEOUT_S))).isZero();
        }
        try (ArcaProcess again = startArca()) {
            assertThat(listenerReports.poll(2, TimeUnit.SECONDS)).as("no second report once delivered").isNull();
            assertThat(again.log()).doesNotContain("from an earlier run");
        }
        assertThat(Files.exists(DataDirectory.journalOf(data))).isTrue();
    }

    // ---- helpers ----

    private ArcaProcess startArca() throws Exception {
        Path config = temp.resolve("arca.yaml");
        Files.writeString(config, """
                dicom:
                  moveDestinations:
                    - aeTitle: %s
                      host: 127.0.0.1
                      port: %d
                """.formatted(REQUESTER_AE, listener.port()));
        return ArcaProcess.start(temp.resolve("arca-data"), "--config", config.toString());
    }

    private void storeAll(ArcaProcess arca) throws IOException {
        for (TestInstance instance : instances) {
            assertThat(Scu.store(arca.dicomPort(), instance).status()).isEqualTo(Status.SUCCESS);
        }
    }

    private static Association connect(ArcaProcess arca) throws IOException {
        return AssociationRequestor.connect("127.0.0.1", arca.dicomPort(), REQUESTER_AE, "ARCA",
                List.of(new PresentationContextRq(1, COMMITMENT, List.of(EXPLICIT_LE))));
    }

    private static List<String[]> references(List<TestInstance> instances) {
        return instances.stream().map(i -> new String[] {i.sopClassUid(), i.sopInstanceUid()}).toList();
    }

    private static DimseResponse naction(Association association, int actionTypeId, String transactionUid,
            List<String[]> references) throws IOException {
        Attributes actionInformation = new Attributes();
        if (transactionUid != null) {
            actionInformation.setString(Tag.TransactionUID, VR.UI, transactionUid);
        }
        Sequence sequence = actionInformation.newSequence(Tag.ReferencedSOPSequence);
        for (String[] reference : references) {
            Attributes item = sequence.addItem();
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, reference[0]);
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, reference[1]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(actionInformation, TransferSyntax.of(EXPLICIT_LE));
        return association.naction(COMMITMENT, UID.StorageCommitmentPushModelInstance, actionTypeId,
                bytes.toByteArray(), EXPLICIT_LE);
    }

    /** Returns a service that queues each report, and first waits for {@code hold} when it is not null. */
    private static DimseService collectInto(BlockingQueue<Report> reports, CountDownLatch hold) {
        return (request, responder) -> {
            reports.add(report(request));
            if (hold != null) {
                try {
                    hold.await(TIMEOUT_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            responder.send(Status.SUCCESS, null);
        };
    }

    private static Report report(DimseRequest request) throws IOException {
        TransferSyntax transferSyntax = TransferSyntax.of(request.presentationContext().transferSyntax());
        Attributes eventInformation = new DicomInputStream(new ByteArrayInputStream(request.dataset().readAllBytes()),
                transferSyntax).readDataset(ReadOptions.keepAll());
        Association association = request.association();
        return new Report(request.command().getInt(CommandTag.EVENT_TYPE_ID, -1),
                request.command().getString(CommandTag.AFFECTED_SOP_INSTANCE_UID), eventInformation,
                association.acceptedRole(COMMITMENT), association.callingAeTitle().strip());
    }

    private static List<String> uids(Sequence sequence) {
        assertThat(sequence).isNotNull();
        return sequence.items().stream().map(item -> item.getString(Tag.ReferencedSOPInstanceUID)).toList();
    }
}
