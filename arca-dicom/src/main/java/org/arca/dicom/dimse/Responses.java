package org.arca.dicom.dimse;

/** Builds response command sets: C-ECHO-RSP, C-STORE-RSP and the generic form of any request. */
public final class Responses {
    private Responses() {
    }

    /**
     * Returns the response to a request with the given status and error comment (may be null):
     * command field | 0x8000, Message ID Being Responded To, and the affected SOP class and
     * instance copied from the request.
     */
    public static CommandSet responseTo(CommandSet request, int status, String errorComment) {
        CommandSet response = new CommandSet()
                .putUS(CommandTag.COMMAND_FIELD, request.commandField() | 0x8000)
                .putUS(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, request.messageId())
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, CommandTag.NO_DATA_SET)
                .putUS(CommandTag.STATUS, status);
        copy(request, response, CommandTag.AFFECTED_SOP_CLASS_UID);
        copy(request, response, CommandTag.AFFECTED_SOP_INSTANCE_UID);
        if (errorComment != null && !errorComment.isEmpty() && Status.isFailure(status)) {
            response.putString(CommandTag.ERROR_COMMENT, DimseException.truncate(errorComment));
        }
        return response;
    }

    private static void copy(CommandSet from, CommandSet to, int tag) {
        String value = from.getString(tag);
        if (value != null) {
            to.putString(tag, value);
        }
    }
}
