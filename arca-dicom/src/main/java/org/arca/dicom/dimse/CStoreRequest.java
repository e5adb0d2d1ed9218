package org.arca.dicom.dimse;

/**
 * A C-STORE-RQ (PS3.7 section 9.3.1.1).
 *
 * @param priority 0 medium, 1 high, 2 low
 * @param moveOriginatorAeTitle null unless the store is a sub-operation of a C-MOVE
 * @param moveOriginatorMessageId -1 unless the store is a sub-operation of a C-MOVE
 */
public record CStoreRequest(int messageId, int priority, String affectedSopClassUid,
        String affectedSopInstanceUid, String moveOriginatorAeTitle, int moveOriginatorMessageId) {

    public static CStoreRequest of(CommandSet command) {
        return new CStoreRequest(command.messageId(), command.getInt(CommandTag.PRIORITY, 0),
                command.getString(CommandTag.AFFECTED_SOP_CLASS_UID),
                command.getString(CommandTag.AFFECTED_SOP_INSTANCE_UID),
                command.getString(CommandTag.MOVE_ORIGINATOR_APPLICATION_ENTITY_TITLE),
                command.getInt(CommandTag.MOVE_ORIGINATOR_MESSAGE_ID, -1));
    }

    public CommandSet toCommandSet() {
        CommandSet command = new CommandSet()
                .putString(CommandTag.AFFECTED_SOP_CLASS_UID, affectedSopClassUid)
                .putUS(CommandTag.COMMAND_FIELD, CommandField.C_STORE_RQ)
                .putUS(CommandTag.MESSAGE_ID, messageId)
                .putUS(CommandTag.PRIORITY, priority)
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, 0x0000)
                .putString(CommandTag.AFFECTED_SOP_INSTANCE_UID, affectedSopInstanceUid);
        if (moveOriginatorAeTitle != null) {
            command.putString(CommandTag.MOVE_ORIGINATOR_APPLICATION_ENTITY_TITLE, moveOriginatorAeTitle);
            command.putUS(CommandTag.MOVE_ORIGINATOR_MESSAGE_ID, moveOriginatorMessageId);
        }
        return command;
    }
}
