package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.dimse.CommandField;
import org.arca.dicom.dimse.CommandSet;
import org.arca.dicom.dimse.CommandTag;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.commitment.CommitmentReference;
import org.arca.store.commitment.CommitmentRequest;
import org.junit.jupiter.api.Test;

/** Parsing of Storage Commitment N-ACTION requests and the failure status of each defect. */
class StorageCommitmentRequestParserTest {

    private static final String CT = UID.CTImageStorage;
    private static final String TRANSACTION = "1.2.826.0.1.3680043.8.498.900";

    @Test
    void parsesTransactionAndReferences() throws Exception {
        Attributes information = actionInformation(TRANSACTION, "1.2.3.1", "1.2.3.2");

        CommitmentRequest request = parse(command(1), information, UID.ImplicitVRLittleEndian);

        assertThat(request.transactionUid()).isEqualTo(TRANSACTION);
        assertThat(request.requesterAeTitle()).isEqualTo("MODALITY");
        assertThat(request.references()).containsExactly(new CommitmentReference(CT, "1.2.3.1"),
                new CommitmentReference(CT, "1.2.3.2"));
    }

    @Test
    void actionTypeTwoIsNoSuchAction() {
        assertStatus(command(2), actionInformation(TRANSACTION, "1.2.3.1"), 0x0123);
    }

    @Test
    void missingTransactionUidIsInvalidArgument() {
        assertStatus(command(1), actionInformation(null, "1.2.3.1"), 0x0115);
    }

    @Test
    void invalidTransactionUidIsInvalidArgument() {
        assertStatus(command(1), actionInformation("1.2.x", "1.2.3.1"), 0x0115);
    }

    @Test
    void emptySequenceIsInvalidArgument() {
        assertStatus(command(1), actionInformation(TRANSACTION), 0x0115);
    }

    @Test
    void itemWithoutInstanceUidIsInvalidAttribute() {
        Attributes information = actionInformation(TRANSACTION, "1.2.3.1");
        information.getSequence(Tag.ReferencedSOPSequence).get(0).remove(Tag.ReferencedSOPInstanceUID);

        assertStatus(command(1), information, 0x0106);
    }

    @Test
    void otherSopInstanceIsNoSuchInstance() {
        CommandSet command = command(1).putString(CommandTag.REQUESTED_SOP_INSTANCE_UID, "1.2.3.4");

        assertStatus(command, actionInformation(TRANSACTION, "1.2.3.1"), 0x0112);
    }

    @Test
    void noActionInformationIsInvalidArgument() {
        assertThatThrownBy(() -> StorageCommitmentRequestParser.parse(command(1),
                InputStream.nullInputStream(), UID.ExplicitVRLittleEndian, "MODALITY"))
                .isInstanceOfSatisfying(DimseException.class, e -> assertThat(e.status()).isEqualTo(0x0115));
    }

    private static void assertStatus(CommandSet command, Attributes information, int status) {
        assertThatThrownBy(() -> parse(command, information, UID.ExplicitVRLittleEndian))
                .isInstanceOfSatisfying(DimseException.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    private static CommitmentRequest parse(CommandSet command, Attributes information, String transferSyntaxUid)
            throws DimseException, IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(information, TransferSyntax.of(transferSyntaxUid));
        return StorageCommitmentRequestParser.parse(command, new ByteArrayInputStream(bytes.toByteArray()),
                transferSyntaxUid, "MODALITY");
    }

    private static CommandSet command(int actionTypeId) {
        return new CommandSet()
                .putString(CommandTag.REQUESTED_SOP_CLASS_UID, UID.StorageCommitmentPushModel)
                .putUS(CommandTag.COMMAND_FIELD, CommandField.N_ACTION_RQ)
                .putUS(CommandTag.MESSAGE_ID, 1)
                .putString(CommandTag.REQUESTED_SOP_INSTANCE_UID, UID.StorageCommitmentPushModelInstance)
                .putUS(CommandTag.ACTION_TYPE_ID, actionTypeId);
    }

    static Attributes actionInformation(String transactionUid, String... sopInstanceUids) {
        Attributes attributes = new Attributes();
        if (transactionUid != null) {
            attributes.setString(Tag.TransactionUID, VR.UI, transactionUid);
        }
        Sequence sequence = attributes.newSequence(Tag.ReferencedSOPSequence);
        for (String uid : sopInstanceUids) {
            Attributes item = sequence.addItem();
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, uid);
        }
        return attributes;
    }
}
