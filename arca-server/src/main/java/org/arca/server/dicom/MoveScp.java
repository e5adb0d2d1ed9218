package org.arca.server.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.dimse.CommandTag;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.DimseRequest;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.DimseResponder;
import org.arca.dicom.dimse.DimseService;
import org.arca.dicom.uid.UID;
import org.arca.server.config.ArcaConfig;
import org.arca.store.index.InstanceVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-MOVE SCP of the Patient Root and Study Root Query/Retrieve information models (PS3.4
 * C.4.2). It sends the matching instances to a configured Move Destination over a new association,
 * each in its stored transfer syntax and never transcoded.
 */
public final class MoveScp implements DimseService {

    private static final Logger LOG = LoggerFactory.getLogger(MoveScp.class);

    /** Status 0xA801: Refused, Move Destination unknown (PS3.4 Table C.4-2). */
    static final int MOVE_DESTINATION_UNKNOWN = 0xA801;

    private final RetrieveService retrieve;
    private final ArcaConfig.Dicom config;

    public MoveScp(RetrieveService retrieve, ArcaConfig.Dicom config) {
        this.retrieve = retrieve;
        this.config = config;
    }

    @Override
    public void handle(DimseRequest request, DimseResponder responder) throws DimseException, IOException {
        Association requester = request.association();
        String destinationAeTitle = request.command().getString(CommandTag.MOVE_DESTINATION);
        ArcaConfig.MoveDestination destination = config.moveDestination(destinationAeTitle);
        if (destination == null) {
            LOG.warn("{}: refused C-MOVE message {} from AE {} because Move Destination '{}' is not in "
                    + "dicom.moveDestinations.", requester.name(), request.messageId(), requester.callingAeTitle(),
                    destinationAeTitle);
            throw new DimseException(MOVE_DESTINATION_UNKNOWN, "Move Destination '" + destinationAeTitle
                    + "' is unknown to Arca; add it to dicom.moveDestinations with its host and port");
        }

        RetrieveKeys keys = RetrieveKeys.of(RetrieveKeys.readIdentifier(request.dataset(),
                request.presentationContext().transferSyntax()), isPatientRoot(request));
        List<InstanceVersion> instances = retrieve.resolve(keys);
        LOG.info("{}: C-MOVE message {} from AE {} to AE {} at {}:{} for {} matched {} SOP Instances.",
                requester.name(), request.messageId(), requester.callingAeTitle(), destination.aeTitle(),
                destination.host(), destination.port(), keys.describe(), instances.size());
        if (instances.isEmpty()) {
            retrieve.run(request, responder, instances, null, priority(request));
            return;
        }

        Association association;
        try {
            association = AssociationRequestor.connect(RetrieveContexts.requestorConfig(config.aeTitle(),
                    destination, instances));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: associating with Move Destination {} at {}:{} failed: {}", requester.name(),
                    destination.aeTitle(), destination.host(), destination.port(), e.toString());
            // The Error Comment is LO, at most 64 characters, so the cause comes first.
            retrieve.failAll(request, responder, instances, "Associating with " + destination.aeTitle()
                    + " failed: " + e.getMessage());
            return;
        }
        try {
            MoveTarget target = new MoveTarget(association, destination.aeTitle(), priority(request),
                    request.association().callingAeTitle(), request.messageId());
            retrieve.run(request, responder, instances, target, priority(request));
        } finally {
            releaseOrAbort(association);
        }
    }

    static boolean isPatientRoot(DimseRequest request) {
        String sopClass = request.presentationContext().abstractSyntax();
        return UID.PatientRootQueryRetrieveInformationModelMove.equals(sopClass)
                || UID.PatientRootQueryRetrieveInformationModelGet.equals(sopClass);
    }

    static int priority(DimseRequest request) {
        return request.command().getInt(CommandTag.PRIORITY, 0);
    }

    private static void releaseOrAbort(Association association) {
        try {
            association.release();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: releasing the association to the Move Destination failed, so it is aborted: {}",
                    association.name(), e.toString());
            association.abort();
        }
    }

    /**
     * The C-STORE sub-operations on the association to the Move Destination, each naming the
     * C-MOVE's requester as Move Originator (PS3.7 9.3.1.1).
     */
    private record MoveTarget(Association association, String aeTitle, int priority, String originatorAeTitle,
            int originatorMessageId) implements RetrieveTarget {

        @Override
        public String unsupportedReason(String sopClassUid, String transferSyntaxUid) {
            if (association.acceptedContext(sopClassUid, transferSyntaxUid) == null) {
                return "AE " + aeTitle + " accepted no presentation context for SOP Class " + sopClassUid
                        + " with the stored transfer syntax " + transferSyntaxUid + ", and Arca does not transcode";
            }
            return null;
        }

        @Override
        public DimseResponse store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                InputStream dataset) throws IOException {
            return association.cstore(sopClassUid, sopInstanceUid, transferSyntaxUid, dataset, priority,
                    originatorAeTitle, originatorMessageId);
        }
    }
}
