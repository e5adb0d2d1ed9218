package org.arca.server.dicom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.dimse.CommandSet;
import org.arca.dicom.dimse.CommandTag;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.DimseRequest;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.dicom.uid.Uids;
import org.arca.store.commitment.CommitmentReference;
import org.arca.store.commitment.CommitmentRequest;

/**
 * Parses a Storage Commitment Push Model N-ACTION-RQ (PS3.4 Annex J) into a
 * {@link CommitmentRequest}, or rejects it with the N-ACTION failure status the standard
 * assigns to the defect.
 */
final class StorageCommitmentRequestParser {

    /** The Action Type ID of "Request Storage Commitment". */
    static final int ACTION_TYPE_REQUEST_STORAGE_COMMITMENT = 1;

    /** The N-ACTION status 0x0123 No such action, which {@link Status} does not list. */
    static final int NO_SUCH_ACTION = 0x0123;

    /** The largest Action Information accepted, in bytes; an estimated 100,000 references of about 150 bytes. */
    static final int MAX_ACTION_INFORMATION_BYTES = 16 << 20;

    private StorageCommitmentRequestParser() {
    }

    static CommitmentRequest parse(DimseRequest request) throws DimseException, IOException {
        return parse(request.command(), request.dataset(), request.presentationContext().transferSyntax(),
                request.association().callingAeTitle().strip());
    }

    /**
     * Parses the N-ACTION-RQ command and its Action Information, read from {@code dataset} in
     * the transfer syntax of the request's presentation context.
     *
     * @param requesterAeTitle the calling AE title of the association, without padding
     */
    static CommitmentRequest parse(CommandSet command, InputStream dataset, String transferSyntaxUid,
            String requesterAeTitle) throws DimseException, IOException {
        checkCommand(command);
        Attributes actionInformation = readActionInformation(dataset, transferSyntaxUid);
        String transactionUid = actionInformation.getString(Tag.TransactionUID);
        if (transactionUid == null || !Uids.isValid(transactionUid)) {
            throw new DimseException(Status.INVALID_ARGUMENT_VALUE, "Transaction UID (0008,1195) is missing or "
                    + "invalid: '" + transactionUid + "'");
        }
        List<CommitmentReference> references = references(actionInformation.getSequence(Tag.ReferencedSOPSequence));
        return CommitmentRequest.of(transactionUid, requesterAeTitle, references);
    }

    private static void checkCommand(CommandSet command) throws DimseException {
        int actionTypeId = command.getInt(CommandTag.ACTION_TYPE_ID, -1);
        if (actionTypeId != ACTION_TYPE_REQUEST_STORAGE_COMMITMENT) {
            throw new DimseException(NO_SUCH_ACTION, "Action Type ID " + actionTypeId + " is not 1 (Request "
                    + "Storage Commitment)");
        }
        String sopInstanceUid = command.getString(CommandTag.REQUESTED_SOP_INSTANCE_UID);
        if (!UID.StorageCommitmentPushModelInstance.equals(sopInstanceUid)) {
            throw new DimseException(Status.NO_SUCH_SOP_INSTANCE, "Requested SOP Instance UID '" + sopInstanceUid
                    + "' is not " + UID.StorageCommitmentPushModelInstance);
        }
    }

    private static Attributes readActionInformation(InputStream dataset, String transferSyntaxUid)
            throws DimseException, IOException {
        byte[] bytes = dataset.readNBytes(MAX_ACTION_INFORMATION_BYTES + 1);
        if (bytes.length == 0) {
            throw new DimseException(Status.INVALID_ARGUMENT_VALUE, "The N-ACTION-RQ has no Action Information");
        }
        if (bytes.length > MAX_ACTION_INFORMATION_BYTES) {
            throw new DimseException(Status.RESOURCE_LIMITATION, "Action Information exceeds "
                    + MAX_ACTION_INFORMATION_BYTES + " bytes; split the request");
        }
        TransferSyntax transferSyntax = TransferSyntax.of(transferSyntaxUid);
        try {
            return new DicomInputStream(new ByteArrayInputStream(bytes), transferSyntax)
                    .readDataset(ReadOptions.keepAll());
        } catch (IOException e) {
            throw new DimseException(Status.MISTYPED_ARGUMENT, "Action Information cannot be parsed: "
                    + e.getMessage(), e);
        }
    }

    private static List<CommitmentReference> references(Sequence sequence) throws DimseException {
        if (sequence == null || sequence.size() == 0) {
            throw new DimseException(Status.INVALID_ARGUMENT_VALUE, "Referenced SOP Sequence (0008,1199) is "
                    + "missing or empty");
        }
        List<CommitmentReference> references = new ArrayList<>(sequence.size());
        for (int i = 0; i < sequence.size(); i++) {
            Attributes item = sequence.get(i);
            String sopClassUid = item.getString(Tag.ReferencedSOPClassUID);
            String sopInstanceUid = item.getString(Tag.ReferencedSOPInstanceUID);
            if (sopClassUid == null || !Uids.isValid(sopClassUid) || sopInstanceUid == null
                    || !Uids.isValid(sopInstanceUid)) {
                throw new DimseException(Status.INVALID_ATTRIBUTE_VALUE, "Referenced SOP Sequence item " + (i + 1)
                        + " lacks a valid Referenced SOP Class UID or Instance UID");
            }
            references.add(new CommitmentReference(sopClassUid, sopInstanceUid));
        }
        return references;
    }
}
