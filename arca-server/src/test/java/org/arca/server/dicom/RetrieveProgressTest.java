package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.dimse.CommandField;
import org.arca.dicom.dimse.CommandSet;
import org.arca.dicom.dimse.CommandTag;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.Test;

class RetrieveProgressTest {

    private static final CommandSet MOVE_RQ = new CommandSet()
            .putString(CommandTag.AFFECTED_SOP_CLASS_UID, UID.StudyRootQueryRetrieveInformationModelMove)
            .putUS(CommandTag.COMMAND_FIELD, CommandField.C_MOVE_RQ)
            .putUS(CommandTag.MESSAGE_ID, 7);

    @Test
    void allCompletedIsSuccess() {
        RetrieveProgress progress = new RetrieveProgress(2);
        progress.completed();
        progress.completed();

        assertThat(progress.finalStatus(false)).isEqualTo(Status.SUCCESS);
    }

    @Test
    void noInstancesIsSuccess() {
        assertThat(new RetrieveProgress(0).finalStatus(false)).isEqualTo(Status.SUCCESS);
    }

    @Test
    void someFailedIsWarning() {
        RetrieveProgress progress = new RetrieveProgress(2);
        progress.completed();
        progress.failed("1.2.3");

        assertThat(progress.finalStatus(false)).isEqualTo(0xB000);
    }

    @Test
    void subOperationWarningIsWarning() {
        RetrieveProgress progress = new RetrieveProgress(1);
        progress.warning();

        assertThat(progress.finalStatus(false)).isEqualTo(0xB000);
    }

    @Test
    void allFailedIsA702() {
        RetrieveProgress progress = new RetrieveProgress(2);
        progress.failed("1.2.3");
        progress.failed("1.2.4");

        assertThat(progress.finalStatus(false)).isEqualTo(0xA702);
    }

    @Test
    void cancelWinsOverCounts() {
        RetrieveProgress progress = new RetrieveProgress(3);
        progress.failed("1.2.3");

        assertThat(progress.finalStatus(true)).isEqualTo(Status.CANCEL);
    }

    @Test
    void pendingCarriesAllFourCounts() {
        RetrieveProgress progress = new RetrieveProgress(4);
        progress.completed();
        progress.warning();
        progress.failed("1.2.3");

        CommandSet pending = progress.pendingResponse(MOVE_RQ);

        assertThat(pending.commandField()).isEqualTo(CommandField.C_MOVE_RSP);
        assertThat(pending.status()).isEqualTo(Status.PENDING);
        assertThat(pending.getInt(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, -1)).isEqualTo(7);
        assertThat(pending.getInt(CommandTag.NUMBER_OF_REMAINING_SUBOPERATIONS, -1)).isEqualTo(1);
        assertThat(pending.getInt(CommandTag.NUMBER_OF_COMPLETED_SUBOPERATIONS, -1)).isEqualTo(1);
        assertThat(pending.getInt(CommandTag.NUMBER_OF_FAILED_SUBOPERATIONS, -1)).isEqualTo(1);
        assertThat(pending.getInt(CommandTag.NUMBER_OF_WARNING_SUBOPERATIONS, -1)).isEqualTo(1);
    }

    @Test
    void finalOmitsRemainingUnlessCancel() {
        RetrieveProgress progress = new RetrieveProgress(2);
        progress.completed();

        assertThat(progress.finalResponse(MOVE_RQ, 0xB000, null)
                .contains(CommandTag.NUMBER_OF_REMAINING_SUBOPERATIONS)).isFalse();
        assertThat(progress.finalResponse(MOVE_RQ, Status.CANCEL, null)
                .getInt(CommandTag.NUMBER_OF_REMAINING_SUBOPERATIONS, -1)).isEqualTo(1);
    }

    @Test
    void failedListIdentifierDecodes() throws Exception {
        RetrieveProgress progress = new RetrieveProgress(3);
        progress.completed();
        progress.failed("1.2.3");
        progress.failed("1.2.44");

        Attributes identifier;
        try (InputStream encoded = progress.failedListIdentifier(UID.ImplicitVRLittleEndian)) {
            identifier = new DicomInputStream(encoded, TransferSyntax.of(UID.ImplicitVRLittleEndian))
                    .readDataset(ReadOptions.defaults());
        }

        assertThat(identifier.getStrings(Tag.FailedSOPInstanceUIDList)).containsExactly("1.2.3", "1.2.44");
    }

    @Test
    void noFailuresMeansNoIdentifier() throws Exception {
        RetrieveProgress progress = new RetrieveProgress(1);
        progress.completed();

        assertThat(progress.failedListIdentifier(UID.ExplicitVRLittleEndian)).isNull();
    }
}
