package org.arca.server.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.arca.dicom.association.Association;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.DimseRequest;
import org.arca.dicom.dimse.DimseResponder;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.DimseService;
import org.arca.store.index.InstanceVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-GET SCP of the Patient Root and Study Root Query/Retrieve information models (PS3.4
 * C.4.3). It sends the matching instances as C-STORE sub-operations on the requesting association,
 * each in its stored transfer syntax and never transcoded.
 */
public final class GetScp implements DimseService {

    private static final Logger LOG = LoggerFactory.getLogger(GetScp.class);

    private final RetrieveService retrieve;

    public GetScp(RetrieveService retrieve) {
        this.retrieve = retrieve;
    }

    @Override
    public void handle(DimseRequest request, DimseResponder responder) throws DimseException, IOException {
        Association association = request.association();
        RetrieveKeys keys = RetrieveKeys.of(RetrieveKeys.readIdentifier(request.dataset(),
                request.presentationContext().transferSyntax()), MoveScp.isPatientRoot(request));
        List<InstanceVersion> instances = retrieve.resolve(keys);
        LOG.info("{}: C-GET message {} from AE {} for {} matched {} SOP Instances.", association.name(),
                request.messageId(), association.callingAeTitle(), keys.describe(), instances.size());
        retrieve.run(request, responder, instances, new GetTarget(association, MoveScp.priority(request)),
                MoveScp.priority(request));
    }

    /** The C-STORE sub-operations on the requesting association, where the requester has the SCP role. */
    private record GetTarget(Association association, int priority) implements RetrieveTarget {

        @Override
        public String aeTitle() {
            return association.callingAeTitle();
        }

        /** PS3.4 C.4.3.1: sub-operations need a context for the SOP class where the requester took the SCP role. */
        @Override
        public String unsupportedReason(String sopClassUid, String transferSyntaxUid) {
            if (association.invocableContext(sopClassUid, transferSyntaxUid) == null) {
                return "the C-GET association has no accepted presentation context for SOP Class " + sopClassUid
                        + " with the stored transfer syntax " + transferSyntaxUid + " in which the requester took "
                        + "the SCP role, and Arca does not transcode";
            }
            return null;
        }

        @Override
        public DimseResponse store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                InputStream dataset) throws IOException {
            return association.cstore(sopClassUid, sopInstanceUid, transferSyntaxUid, dataset, priority);
        }
    }
}
