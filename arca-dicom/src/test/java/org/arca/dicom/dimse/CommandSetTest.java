package org.arca.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class CommandSetTest {

    @Test
    void cstoreRequestRoundTrip() throws Exception {
        CStoreRequest request = new CStoreRequest(7, CommandField.PRIORITY_HIGH, "1.2.840.10008.5.1.4.1.1.2",
                "1.2.3.45", "MOVER", 99);
        CommandSet decoded = CommandSet.decode(request.toCommandSet().encode());
        assertThat(CStoreRequest.of(decoded)).isEqualTo(request);
        assertThat(decoded.hasDataSet()).isTrue();
    }

    @Test
    void encodingIsImplicitLittleEndianWithGroupLength() {
        byte[] encoded = new CommandSet().putUS(CommandTag.COMMAND_FIELD, CommandField.C_ECHO_RSP).encode();
        // (0000,0000) UL 4 = 10, then (0000,0100) US 2 = 0x8030.
        assertThat(encoded).containsExactly(0, 0, 0, 0, 4, 0, 0, 0, 10, 0, 0, 0,
                0, 0, 0, 1, 2, 0, 0, 0, 0x30, 0x80);
    }

    @Test
    void oddUidPaddedWithNul() throws Exception {
        CommandSet command = new CommandSet().putString(CommandTag.AFFECTED_SOP_CLASS_UID, "1.2.3");
        byte[] encoded = command.encode();
        assertThat(encoded[encoded.length - 1]).isEqualTo((byte) 0);
        assertThat(CommandSet.decode(encoded).getString(CommandTag.AFFECTED_SOP_CLASS_UID)).isEqualTo("1.2.3");
    }

    @Test
    void oddAeTitlePaddedWithSpace() {
        byte[] encoded = new CommandSet().putString(CommandTag.MOVE_DESTINATION, "ABC").encode();
        assertThat(encoded[encoded.length - 1]).isEqualTo((byte) ' ');
    }

    @Test
    void attributeTagEncoding() throws Exception {
        CommandSet command = new CommandSet().putAT(CommandTag.OFFENDING_ELEMENT, 0x00100020);
        byte[] encoded = command.encode();
        assertThat(java.util.Arrays.copyOfRange(encoded, encoded.length - 4, encoded.length))
                .containsExactly(0x10, 0, 0x20, 0);
        assertThat(CommandSet.decode(encoded)).isEqualTo(command.putUL(CommandTag.COMMAND_GROUP_LENGTH, 12));
    }

    @Test
    void elementLengthOverrunRejected() {
        byte[] encoded = new CommandSet().putUS(CommandTag.MESSAGE_ID, 1).encode();
        encoded[16] = 100;
        DimseException error = catchThrowableOfType(() -> CommandSet.decode(encoded), DimseException.class);
        assertThat(error.status()).isEqualTo(Status.CANNOT_UNDERSTAND);
    }

    @Test
    void elementOutsideGroupZeroRejected() {
        byte[] encoded = new CommandSet().putUS(CommandTag.MESSAGE_ID, 1).encode();
        encoded[12] = 8;
        assertThat(catchThrowableOfType(() -> CommandSet.decode(encoded), DimseException.class)).isNotNull();
    }

    @Test
    void errorCommentCutTo64Characters() {
        DimseException error = new DimseException(Status.PROCESSING_FAILURE, "x".repeat(100));
        assertThat(error.errorComment()).hasSize(64);
        CommandSet response = Responses.responseTo(new CEchoRequest(3, "1.2.840.10008.1.1").toCommandSet(),
                Status.PROCESSING_FAILURE, "y".repeat(80));
        assertThat(response.getString(CommandTag.ERROR_COMMENT)).hasSize(64);
        assertThat(response.getInt(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, -1)).isEqualTo(3);
        assertThat(response.commandField()).isEqualTo(CommandField.C_ECHO_RSP);
    }
}
