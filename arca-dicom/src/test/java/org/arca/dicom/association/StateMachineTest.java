package org.arca.dicom.association;

import org.arca.dicom.Implementation;
import org.arca.dicom.uid.UID;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arca.dicom.dimse.CStoreRequest;
import org.arca.dicom.dimse.CStoreScp;
import org.arca.dicom.dimse.CommandField;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.dimse.StorageHandler;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.dimse.DimseServiceRegistry;
import org.arca.dicom.pdu.AAbort;
import org.arca.dicom.pdu.AAssociateAc;
import org.arca.dicom.pdu.AAssociateRj;
import org.arca.dicom.pdu.AAssociateRq;
import org.arca.dicom.pdu.AReleaseRp;
import org.arca.dicom.pdu.AReleaseRq;
import org.arca.dicom.pdu.PDataTf;
import org.arca.dicom.pdu.Pdv;
import org.arca.dicom.pdu.PduWriter;
import org.arca.dicom.pdu.UserIdentityAc;
import org.arca.dicom.pdu.UserIdentityRq;
import org.arca.dicom.pdu.UserInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateMachineTest {
    private DicomServer server;

    private DicomServer start(AcceptorConfig.Builder config) throws Exception {
        server = new DicomServer(config.bindAddress("127.0.0.1").build(),
                new DimseServiceRegistry().registerVerification().handler()).start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pdataBeforeAssociationAborted() throws Exception {
        start(AcceptorConfig.builder("ARCA"));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new PDataTf(List.of(new Pdv(1, true, true, new byte[4]))));
            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU));
        }
    }

    @Test
    void associateRqTwiceAborted() throws Exception {
        start(AcceptorConfig.builder("ARCA"));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.echoRq("SCU", "ARCA"));
            assertThat(peer.read()).isInstanceOf(AAssociateAc.class);
            peer.send(RawPeer.echoRq("SCU", "ARCA"));
            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU));
        }
    }

    @Test
    void releaseRpWhenEstablishedAborted() throws Exception {
        start(AcceptorConfig.builder("ARCA"));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.echoRq("SCU", "ARCA"));
            assertThat(peer.read()).isInstanceOf(AAssociateAc.class);
            peer.send(new AReleaseRp());
            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU));
        }
    }

    @Test
    void releaseAnsweredThenClosedByArtim() throws Exception {
        start(AcceptorConfig.builder("ARCA").artimTimeoutMs(300));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.echoRq("SCU", "ARCA"));
            assertThat(peer.read()).isInstanceOf(AAssociateAc.class);
            peer.send(new AReleaseRq());
            assertThat(peer.read()).isEqualTo(new AReleaseRp());
            // The requestor should close now; it does not, so ARTIM makes the server close.
            assertThat(peer.closedByServer()).isTrue();
        }
    }

    @Test
    void artimClosesSilentConnection() throws Exception {
        start(AcceptorConfig.builder("ARCA").artimTimeoutMs(300));
        try (RawPeer peer = new RawPeer(server.port())) {
            long start = System.nanoTime();
            assertThat(peer.closedByServer()).isTrue();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsedMs).isBetween(250L, 5000L);
        }
    }

    @Test
    void idleTimeoutAborts() throws Exception {
        start(AcceptorConfig.builder("ARCA").idleTimeoutMs(300));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.echoRq("SCU", "ARCA"));
            assertThat(peer.read()).isInstanceOf(AAssociateAc.class);
            long start = System.nanoTime();
            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_NOT_SPECIFIED));
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250L);
        }
    }

    @Test
    void peerStalledInsideDataSetAborted() throws Exception {
        AtomicBoolean stored = new AtomicBoolean();
        StorageHandler readsAll = (association, context, request, dataset) -> {
            try {
                dataset.readAllBytes();
            } catch (IOException e) {
                throw new DimseException(Status.PROCESSING_FAILURE, e.toString(), e);
            }
            stored.set(true);
            return Status.SUCCESS;
        };
        server = new DicomServer(AcceptorConfig.builder("ARCA").idleTimeoutMs(300).bindAddress("127.0.0.1")
                .acceptedAbstractSyntax(uid -> true).build(),
                new DimseServiceRegistry().register(CommandField.C_STORE_RQ, UID.CTImageStorage,
                        new CStoreScp(readsAll)).handler()).start();
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new AAssociateRq(1, "ARCA", "SCU", UID.DICOMApplicationContext,
                    List.of(new PresentationContextRq(1, UID.CTImageStorage, List.of(UID.ExplicitVRLittleEndian))),
                    UserInformation.of(16384, "1.2.3", "TEST")));
            assertThat(peer.read()).isInstanceOf(AAssociateAc.class);
            byte[] command = new CStoreRequest(1, 0, UID.CTImageStorage, "1.2.3.4", null, -1).toCommandSet().encode();
            peer.send(new PDataTf(List.of(new Pdv(1, true, true, command))));
            // The first fragment of the data set, and then nothing: the service is running and waits for the rest.
            peer.send(new PDataTf(List.of(new Pdv(1, false, false, new byte[64]))));
            long start = System.nanoTime();

            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_NOT_SPECIFIED));
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250L);
        }
        assertThat(stored).isFalse();
    }

    @Test
    void unknownPduTypeAborted() throws Exception {
        start(AcceptorConfig.builder("ARCA"));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new byte[] {0x0A, 0, 0, 0, 0, 2, 0, 0});
            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_UNRECOGNIZED_PDU));
        }
    }

    @Test
    void pdataBeyondMaxLengthAborted() throws Exception {
        start(AcceptorConfig.builder("ARCA").maxPduLengthReceive(16384));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.echoRq("SCU", "ARCA"));
            AAssociateAc ac = (AAssociateAc) peer.read();
            assertThat(ac.userInformation().maxLength()).isEqualTo(16384);
            peer.send(new byte[] {0x04, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
    }

    @Test
    void truncatedRqItemAborted() throws Exception {
        start(AcceptorConfig.builder("ARCA"));
        byte[] rq = PduWriter.encode(RawPeer.echoRq("SCU", "ARCA"));
        rq[6 + 68 + 3] = (byte) 0xF0;
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(rq);
            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
    }

    @Test
    void protocolVersionRejected() throws Exception {
        start(AcceptorConfig.builder("ARCA"));
        byte[] rq = PduWriter.encode(RawPeer.echoRq("SCU", "ARCA"));
        rq[7] = 2;
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(rq);
            assertThat(peer.read()).isEqualTo(new AAssociateRj(1, 2, 2));
        }
    }

    /** Found by AssociationFuzzTest: Sta13 replied to such a request with an A-ASSOCIATE-RJ. */
    @Test
    void otherVersionRqAfterAbortGetsAbort() throws Exception {
        start(AcceptorConfig.builder("ARCA"));
        byte[] rq = PduWriter.encode(RawPeer.echoRq("SCU", "ARCA"));
        rq[7] = 2;
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new byte[] {0x0A, 0, 0, 0, 0, 2, 0, 0});
            assertThat(peer.read()).isEqualTo(AAbort.byProvider(AAbort.REASON_UNRECOGNIZED_PDU));

            peer.send(rq);

            assertThat(peer.read()).isInstanceOf(AAbort.class);
        }
    }

    @Test
    void applicationContextRejected() throws Exception {
        start(AcceptorConfig.builder("ARCA"));
        AAssociateRq good = RawPeer.echoRq("SCU", "ARCA");
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new AAssociateRq(1, "ARCA", "SCU", "1.2.3.4", good.presentationContexts(),
                    good.userInformation()));
            assertThat(peer.read()).isEqualTo(new AAssociateRj(1, 1, 2));
        }
    }

    @Test
    void aeTitlesRejected() throws Exception {
        start(AcceptorConfig.builder("ARCA").allowedCallingAeTitles(java.util.Set.of("GOOD")));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.echoRq("GOOD", "OTHER"));
            assertThat(peer.read()).isEqualTo(new AAssociateRj(1, 1, 7));
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.echoRq("BAD", "ARCA"));
            assertThat(peer.read()).isEqualTo(new AAssociateRj(1, 1, 3));
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.echoRq("GOOD", "ARCA"));
            assertThat(peer.read()).isInstanceOf(AAssociateAc.class);
        }
    }

    @Test
    void maxAssociationsRejectsTransient() throws Exception {
        start(AcceptorConfig.builder("ARCA").maxAssociations(1));
        try (RawPeer first = new RawPeer(server.port()); RawPeer second = new RawPeer(server.port())) {
            first.send(RawPeer.echoRq("SCU", "ARCA"));
            assertThat(first.read()).isInstanceOf(AAssociateAc.class);
            second.send(RawPeer.echoRq("SCU", "ARCA"));
            assertThat(second.read()).isEqualTo(new AAssociateRj(2, 3, 2));
        }
    }

    @Test
    void negotiationPicksPreferredTransferSyntax() throws Exception {
        start(AcceptorConfig.builder("ARCA").acceptedAbstractSyntax(uid -> !uid.equals("1.2.99"))
                .userIdentityNegotiator((calling, identity) -> new UserIdentityAc(new byte[] {42})));
        var contexts = List.of(
                new org.arca.dicom.pdu.PresentationContextRq(1, "1.2.840.10008.5.1.4.1.1.2",
                        List.of(UID.ExplicitVRBigEndian, UID.ImplicitVRLittleEndian,
                                UID.ExplicitVRLittleEndian)),
                new org.arca.dicom.pdu.PresentationContextRq(3, "1.2.99", List.of(UID.ImplicitVRLittleEndian)),
                new org.arca.dicom.pdu.PresentationContextRq(5, "1.2.840.10008.5.1.4.1.1.4",
                        List.of("1.2.840.10008.1.2.4.50")));
        UserInformation info = new UserInformation(0, "1.2.3", null, null,
                List.of(new org.arca.dicom.pdu.RoleSelection("1.2.840.10008.5.1.4.1.1.2", true, true)),
                List.of(new org.arca.dicom.pdu.ExtendedNegotiation("1.2.840.10008.5.1.4.1.1.2", new byte[] {1})),
                List.of(), new UserIdentityRq(1, true, "bob".getBytes(), new byte[0]), null);
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new AAssociateRq(1, "ARCA", "SCU", UID.DICOMApplicationContext, contexts, info));
            AAssociateAc ac = (AAssociateAc) peer.read();
            assertThat(ac.presentationContexts()).extracting(c -> c.result() + " " + c.transferSyntax())
                    .containsExactly("0 " + UID.ExplicitVRLittleEndian, "3 " + UID.ImplicitVRLittleEndian,
                            "4 1.2.840.10008.1.2.4.50");
            // CT Image Storage is a Storage SOP class, so the default policy grants the proposed SCP role.
            assertThat(ac.userInformation().roleSelections()).containsExactly(
                    new org.arca.dicom.pdu.RoleSelection("1.2.840.10008.5.1.4.1.1.2", true, true));
            assertThat(ac.userInformation().extendedNegotiations()).isEmpty();
            assertThat(ac.userInformation().userIdentityAc()).isEqualTo(new UserIdentityAc(new byte[] {42}));
            assertThat(ac.userInformation().maxLength()).isEqualTo(AcceptorConfig.DEFAULT_MAX_PDU_LENGTH);
            assertThat(ac.userInformation().implementationClassUid())
                    .isEqualTo(Implementation.CLASS_UID);
        }
    }
}
