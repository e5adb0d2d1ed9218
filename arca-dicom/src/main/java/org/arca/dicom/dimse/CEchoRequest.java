package org.arca.dicom.dimse;

/** A C-ECHO-RQ (PS3.7 section 9.3.5.1). */
public record CEchoRequest(int messageId, String affectedSopClassUid) {

    public CommandSet toCommandSet() {
        return new CommandSet()
                .putString(CommandTag.AFFECTED_SOP_CLASS_UID, affectedSopClassUid)
                .putUS(CommandTag.COMMAND_FIELD, CommandField.C_ECHO_RQ)
                .putUS(CommandTag.MESSAGE_ID, messageId)
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, CommandTag.NO_DATA_SET);
    }
}
