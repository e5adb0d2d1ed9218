package org.arca.server.dicom;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arca.dicom.association.AcceptorConfig;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.dimse.CStoreScp;
import org.arca.dicom.dimse.CommandField;
import org.arca.dicom.dimse.DimseServiceRegistry;
import org.arca.dicom.dimse.StorageHandler;
import org.arca.dicom.uid.StorageSopClasses;
import org.arca.dicom.uid.UID;
import org.arca.server.config.ArcaConfig;
import org.arca.store.index.Index;
import org.arca.store.query.FindQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM listener of a node: Verification, every standard Storage SOP Class (stored as
 * received, in every transfer syntax the peer proposes), and C-FIND, C-MOVE and C-GET in the
 * Patient Root and Study Root Query/Retrieve Information Models, and the Storage Commitment
 * Push Model.
 */
public final class DicomService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DicomService.class);

    private static final Set<String> FIND_SOP_CLASSES = Set.of(UID.PatientRootQueryRetrieveInformationModelFind,
            UID.StudyRootQueryRetrieveInformationModelFind);

    private final DicomServer server;

    private DicomService(DicomServer server) {
        this.server = server;
    }

    /** The Query/Retrieve SOP classes whose C-MOVE and C-GET this node serves. */
    static final List<String> MOVE_SOP_CLASSES = List.of(UID.PatientRootQueryRetrieveInformationModelMove,
            UID.StudyRootQueryRetrieveInformationModelMove);
    static final List<String> GET_SOP_CLASSES = List.of(UID.PatientRootQueryRetrieveInformationModelGet,
            UID.StudyRootQueryRetrieveInformationModelGet);

    public static DicomService start(ArcaConfig.Dicom config, StorageHandler storage, RetrieveService retrieve,
            Index index, StorageCommitmentScp commitment) throws Exception {
        DimseServiceRegistry registry = new DimseServiceRegistry().registerVerification();
        CStoreScp storageScp = new CStoreScp(storage);
        for (String sopClassUid : StorageSopClasses.all()) {
            registry.register(CommandField.C_STORE_RQ, sopClassUid, storageScp);
        }
        MoveScp moveScp = new MoveScp(retrieve, config);
        for (String sopClassUid : MOVE_SOP_CLASSES) {
            registry.register(CommandField.C_MOVE_RQ, sopClassUid, moveScp);
        }
        GetScp getScp = new GetScp(retrieve);
        for (String sopClassUid : GET_SOP_CLASSES) {
            registry.register(CommandField.C_GET_RQ, sopClassUid, getScp);
        }
        CFindScp findScp = new CFindScp(new FindQueries(index), config.aeTitle(), config.personNameCaseInsensitive());
        for (String sopClassUid : FIND_SOP_CLASSES) {
            registry.register(CommandField.C_FIND_RQ, sopClassUid, findScp);
        }

        registry.register(CommandField.N_ACTION_RQ, UID.StorageCommitmentPushModel, commitment);

        Set<String> accepted = new HashSet<>(StorageSopClasses.all());
        accepted.add(UID.Verification);
        accepted.addAll(MOVE_SOP_CLASSES);
        accepted.addAll(GET_SOP_CLASSES);
        accepted.addAll(FIND_SOP_CLASSES);
        accepted.add(UID.StorageCommitmentPushModel);
        AcceptorConfig acceptor = AcceptorConfig.builder(config.aeTitle())
                .bindAddress(config.bindAddress())
                .port(config.port())
                .allowedCallingAeTitles(Set.copyOf(config.allowedCallingAeTitles()))
                .checkCalledAeTitle(config.checkCalledAeTitle())
                .acceptedAbstractSyntax(accepted::contains)
                .acceptAnyTransferSyntax(true)
                .maxPduLengthReceive(config.maxPduLength())
                .artimTimeoutMs(config.artimTimeoutMs())
                .idleTimeoutMs(config.idleTimeoutMs())
                .maxAssociations(config.maxAssociations())
                .build();
        DicomServer server = new DicomServer(acceptor, registry.handler()).start();
        LOG.info("DICOM listens on {}:{} as AE title {}; calling AE titles allowed: {}; move destinations: {}.",
                config.bindAddress(), server.port(), config.aeTitle(),
                config.allowedCallingAeTitles().isEmpty() ? "any" : config.allowedCallingAeTitles(),
                config.moveDestinations().isEmpty() ? "none" : config.moveDestinations().stream()
                        .map(d -> d.aeTitle() + " at " + d.host() + ":" + d.port()).toList());
        return new DicomService(server);
    }

    public int port() {
        return server.port();
    }

    public void stopAccepting() {
        server.stopAccepting();
    }

    public void awaitAssociations(long timeoutMs) throws InterruptedException {
        server.awaitAssociations(java.time.Duration.ofMillis(timeoutMs));
    }

    @Override
    public void close() {
        server.close();
    }
}
