package org.arca.server.dicom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.dimse.CommandSet;
import org.arca.dicom.dimse.CommandTag;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.DimseRequest;
import org.arca.dicom.dimse.DimseResponder;
import org.arca.dicom.dimse.DimseService;
import org.arca.dicom.dimse.Responses;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.DicomParseException;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.index.IndexException;
import org.arca.store.query.FindQueries;
import org.arca.store.query.InformationModel;
import org.arca.store.query.InvalidQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-FIND SCP of the Patient Root and Study Root Query/Retrieve Information Models (PS3.4
 * C.4.1, baseline hierarchical search). It streams one Pending response per match from the
 * index, checks for a C-CANCEL between matches, and ends with Success, Cancel or a failure.
 *
 * <p>Thread-safety: one instance serves every association at once; it keeps no state per request.
 */
public final class CFindScp implements DimseService {

    private static final Logger LOG = LoggerFactory.getLogger(CFindScp.class);

    private final FindQueries queries;
    private final FindResponses responses;
    private final boolean personNameCaseInsensitive;

    /**
     * @param retrieveAeTitle the AE title returned in Retrieve AE Title (0008,0054): the node's own
     * @param personNameCaseInsensitive whether PN keys match ignoring case
     */
    public CFindScp(FindQueries queries, String retrieveAeTitle, boolean personNameCaseInsensitive) {
        this.queries = queries;
        this.responses = new FindResponses(retrieveAeTitle);
        this.personNameCaseInsensitive = personNameCaseInsensitive;
    }

    @Override
    public void handle(DimseRequest request, DimseResponder responder) throws DimseException, IOException {
        InformationModel model = informationModel(request.command().getString(CommandTag.AFFECTED_SOP_CLASS_UID));
        TransferSyntax transferSyntax = TransferSyntax.of(request.presentationContext().transferSyntax());
        FindRequest find = parse(request, model, readIdentifier(request, transferSyntax));
        LOG.info("{}: C-FIND message {} at level {} in {} with keys {}.", request.association().name(),
                request.messageId(), find.query().level(), model, find.query().keys());

        int pendingStatus = find.hasUnsupportedKeys() ? Status.PENDING_WARNING : Status.PENDING;
        long matches;
        try {
            matches = queries.find(find.query(), match -> {
                if (request.isCancelRequested()) {
                    return false;
                }
                byte[] identifier = FindResponses.encode(responses.identifier(find, match), transferSyntax);
                CommandSet pending = Responses.responseTo(request.command(), pendingStatus, null);
                responder.send(pending, new ByteArrayInputStream(identifier));
                return true;
            });
        } catch (IndexException e) {
            LOG.error("{}: C-FIND message {} failed in the index: {}", request.association().name(),
                    request.messageId(), e.getMessage(), e);
            throw new DimseException(Status.OUT_OF_RESOURCES, "Query failed in the index; try again");
        }

        finish(request, responder, matches);
    }

    private static void finish(DimseRequest request, DimseResponder responder, long matches) throws IOException {
        if (request.isCancelRequested()) {
            LOG.info("{}: C-FIND message {} was canceled after {} matches.", request.association().name(),
                    request.messageId(), matches);
            responder.send(Status.CANCEL, null);
            return;
        }
        LOG.info("{}: C-FIND message {} returned {} matches.", request.association().name(), request.messageId(),
                matches);
        responder.send(Status.SUCCESS, null);
    }

    private static InformationModel informationModel(String sopClassUid) throws DimseException {
        if (UID.PatientRootQueryRetrieveInformationModelFind.equals(sopClassUid)) {
            return InformationModel.PATIENT_ROOT;
        }
        if (UID.StudyRootQueryRetrieveInformationModelFind.equals(sopClassUid)) {
            return InformationModel.STUDY_ROOT;
        }
        throw new DimseException(Status.SOP_CLASS_NOT_SUPPORTED, "SOP Class " + sopClassUid + " is not supported");
    }

    private static Attributes readIdentifier(DimseRequest request, TransferSyntax transferSyntax)
            throws DimseException, IOException {
        try {
            return new DicomInputStream(request.dataset(), transferSyntax).readDataset(ReadOptions.keepAll());
        } catch (DicomParseException e) {
            LOG.warn("{}: C-FIND message {} has an identifier that cannot be parsed: {}",
                    request.association().name(), request.messageId(), e.getMessage());
            throw new DimseException(Status.CANNOT_UNDERSTAND, "Identifier cannot be parsed: " + e.getMessage(), e);
        }
    }

    private FindRequest parse(DimseRequest request, InformationModel model, Attributes identifier)
            throws DimseException {
        try {
            return FindRequest.parse(identifier, model, personNameCaseInsensitive);
        } catch (InvalidQueryException e) {
            LOG.warn("{}: C-FIND message {} is rejected with status 0xA900: {}", request.association().name(),
                    request.messageId(), e.getMessage());
            throw new DimseException(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, e.getMessage(), e);
        }
    }
}
