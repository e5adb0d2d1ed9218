package org.arca.server.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.store.commitment.CommitmentFailure;
import org.arca.store.commitment.CommitmentReference;
import org.arca.store.commitment.CommitmentResult;

/** Encodes the Event Information of a Storage Commitment N-EVENT-REPORT-RQ (PS3.4 Table J.3-2). */
final class StorageCommitmentReports {

    private StorageCommitmentReports() {
    }

    /**
     * Returns the Event Information: Transaction UID, Retrieve AE Title, the Referenced SOP
     * Sequence of committed instances when there is one, and the Failed SOP Sequence with a
     * Failure Reason per item when there is one.
     */
    static Attributes eventInformation(CommitmentResult result, String retrieveAeTitle) {
        Attributes attributes = new Attributes();
        attributes.setString(Tag.RetrieveAETitle, VR.AE, retrieveAeTitle);
        attributes.setString(Tag.TransactionUID, VR.UI, result.transactionUid());
        if (!result.failed().isEmpty()) {
            Sequence failed = attributes.newSequence(Tag.FailedSOPSequence);
            for (CommitmentFailure failure : result.failed()) {
                Attributes item = failed.addItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, failure.sopClassUid());
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, failure.sopInstanceUid());
                item.setInt(Tag.FailureReason, VR.US, failure.failureReason());
            }
        }
        if (!result.committed().isEmpty()) {
            Sequence committed = attributes.newSequence(Tag.ReferencedSOPSequence);
            for (CommitmentReference reference : result.committed()) {
                Attributes item = committed.addItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, reference.sopClassUid());
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, reference.sopInstanceUid());
            }
        }
        return attributes;
    }

    static byte[] encode(Attributes eventInformation, String transferSyntaxUid) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            new DicomOutputStream(bytes).writeDataset(eventInformation, TransferSyntax.of(transferSyntaxUid));
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding Storage Commitment Event Information in memory failed", e);
        }
        return bytes.toByteArray();
    }
}
