package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.commitment.CommitmentFailure;
import org.arca.store.commitment.CommitmentReference;
import org.arca.store.commitment.CommitmentRequest;
import org.arca.store.commitment.CommitmentResult;
import org.arca.store.commitment.PendingCommitment;
import org.junit.jupiter.api.Test;

/** The Event Information of Storage Commitment reports, encoded and read back. */
class StorageCommitmentReportsTest {

    private static final String CT = UID.CTImageStorage;
    private static final PendingCommitment PENDING = new PendingCommitment(5, CommitmentRequest.of("1.2.3.100",
            "MODALITY", List.of(new CommitmentReference(CT, "1.2.3.1"), new CommitmentReference(CT, "1.2.3.2"))));

    @Test
    void allCommittedHasNoFailedSequence() throws Exception {
        CommitmentResult result = CommitmentResult.of(PENDING, PENDING.request().references(), List.of());

        Attributes decoded = roundTrip(result, UID.ImplicitVRLittleEndian);

        assertThat(decoded.getString(Tag.TransactionUID)).isEqualTo("1.2.3.100");
        assertThat(decoded.getString(Tag.RetrieveAETitle)).isEqualTo("ARCA");
        assertThat(decoded.getSequence(Tag.ReferencedSOPSequence).size()).isEqualTo(2);
        assertThat(decoded.getSequence(Tag.ReferencedSOPSequence).get(1).getString(Tag.ReferencedSOPClassUID))
                .isEqualTo(CT);
        assertThat(decoded.getSequence(Tag.FailedSOPSequence)).isNull();
        assertThat(result.eventTypeId()).isEqualTo(1);
    }

    @Test
    void failuresCarryFailureReason() throws Exception {
        CommitmentResult result = CommitmentResult.of(PENDING, List.of(PENDING.request().references().get(0)),
                List.of(new CommitmentFailure(CT, "1.2.3.2", 0x0112)));

        Attributes decoded = roundTrip(result, UID.ExplicitVRLittleEndian);

        Sequence failed = decoded.getSequence(Tag.FailedSOPSequence);
        assertThat(failed.size()).isEqualTo(1);
        assertThat(failed.get(0).getString(Tag.ReferencedSOPInstanceUID)).isEqualTo("1.2.3.2");
        assertThat(failed.get(0).getInt(Tag.FailureReason, -1)).isEqualTo(0x0112);
        assertThat(decoded.getSequence(Tag.ReferencedSOPSequence).get(0).getString(Tag.ReferencedSOPInstanceUID))
                .isEqualTo("1.2.3.1");
        assertThat(result.eventTypeId()).isEqualTo(2);
    }

    @Test
    void allFailedHasNoReferencedSequence() throws Exception {
        CommitmentResult result = CommitmentResult.of(PENDING, List.of(), List.of(
                new CommitmentFailure(CT, "1.2.3.1", 0x0110), new CommitmentFailure(CT, "1.2.3.2", 0x0119)));

        Attributes decoded = roundTrip(result, UID.ExplicitVRLittleEndian);

        assertThat(decoded.getSequence(Tag.ReferencedSOPSequence)).isNull();
        assertThat(decoded.getSequence(Tag.FailedSOPSequence).get(1).getInt(Tag.FailureReason, -1))
                .isEqualTo(0x0119);
    }

    private static Attributes roundTrip(CommitmentResult result, String transferSyntaxUid) throws Exception {
        byte[] bytes = StorageCommitmentReports.encode(StorageCommitmentReports.eventInformation(result, "ARCA"),
                transferSyntaxUid);
        return new DicomInputStream(new ByteArrayInputStream(bytes), TransferSyntax.of(transferSyntaxUid))
                .readDataset(ReadOptions.keepAll());
    }
}
