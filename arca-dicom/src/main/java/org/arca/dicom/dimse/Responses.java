package org.arca.dicom.dimse;

/**
 * Builds response command sets: the generic form of any request, and the pending and final
 * responses of C-FIND, C-MOVE and C-GET with their sub-operation counts.
 */
public final class Responses {
    private Responses() {
    }

    /**
     * Returns the response to a request with the given status and error comment (may be null):
     * command field | 0x8000, Message ID Being Responded To, the affected SOP class and instance
     * copied from the request (from the requested ones for N-ACTION and the other N-services),
     * and the Event or Action Type ID of an N-EVENT-REPORT or N-ACTION.
     */
    public static CommandSet responseTo(CommandSet request, int status, String errorComment) {
        CommandSet response = new CommandSet()
                .putUS(CommandTag.COMMAND_FIELD, request.commandField() | 0x8000)
                .putUS(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, request.messageId())
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, CommandTag.NO_DATA_SET)
                .putUS(CommandTag.STATUS, status);
        copy(request, CommandTag.AFFECTED_SOP_CLASS_UID, response, CommandTag.AFFECTED_SOP_CLASS_UID);
        copy(request, CommandTag.AFFECTED_SOP_INSTANCE_UID, response, CommandTag.AFFECTED_SOP_INSTANCE_UID);
        copy(request, CommandTag.REQUESTED_SOP_CLASS_UID, response, CommandTag.AFFECTED_SOP_CLASS_UID);
        copy(request, CommandTag.REQUESTED_SOP_INSTANCE_UID, response, CommandTag.AFFECTED_SOP_INSTANCE_UID);
        if (request.commandField() == CommandField.N_EVENT_REPORT_RQ) {
            copyUS(request, response, CommandTag.EVENT_TYPE_ID);
        }
        if (request.commandField() == CommandField.N_ACTION_RQ) {
            copyUS(request, response, CommandTag.ACTION_TYPE_ID);
        }
        if (errorComment != null && !errorComment.isEmpty() && Status.isFailure(status)) {
            response.putString(CommandTag.ERROR_COMMENT, DimseException.truncate(errorComment));
        }
        return response;
    }

    /** Returns a pending C-FIND-RSP (0xFF00); send it with the matching identifier. */
    public static CommandSet findPending(CommandSet request) {
        return responseTo(request, Status.PENDING, null);
    }

    /** Returns a pending C-MOVE-RSP or C-GET-RSP (0xFF00) with all four sub-operation counts. */
    public static CommandSet retrievePending(CommandSet request, SubOperationCounts counts) {
        CommandSet response = responseTo(request, Status.PENDING, null);
        counts.putInto(response, true);
        return response;
    }

    /**
     * Returns the final C-MOVE-RSP or C-GET-RSP with the status the counts call for (see
     * {@link SubOperationCounts#finalStatus()}).
     */
    public static CommandSet retrieveFinal(CommandSet request, SubOperationCounts counts) {
        return retrieveFinal(request, counts.finalStatus(), counts, null);
    }

    /**
     * Returns a final C-MOVE-RSP or C-GET-RSP with the given status and counts. The remaining
     * count is included only for Cancel (0xFE00), as PS3.4 C.4.2.1.6 allows.
     */
    public static CommandSet retrieveFinal(CommandSet request, int status, SubOperationCounts counts,
            String errorComment) {
        CommandSet response = responseTo(request, status, errorComment);
        counts.putInto(response, status == Status.CANCEL);
        return response;
    }

    private static void copy(CommandSet from, int fromTag, CommandSet to, int toTag) {
        String value = from.getString(fromTag);
        if (value != null) {
            to.putString(toTag, value);
        }
    }

    private static void copyUS(CommandSet from, CommandSet to, int tag) {
        int value = from.getInt(tag, -1);
        if (value >= 0) {
            to.putUS(tag, value);
        }
    }
}
