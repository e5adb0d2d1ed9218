package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.InputStream;
import org.arca.dicom.association.Association;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the responses to one DIMSE request; tracks whether the final one has been sent. */
public final class DimseResponder {
    private static final Logger LOG = LoggerFactory.getLogger(DimseResponder.class);

    private final Association association;
    private final int contextId;
    private final CommandSet request;
    private boolean finalSent;

    DimseResponder(Association association, int contextId, CommandSet request) {
        this.association = association;
        this.contextId = contextId;
        this.request = request;
    }

    /** Returns the request command this responder answers. */
    public CommandSet request() {
        return request;
    }

    /** Sends a response without a data set with the given status and, for a failure, error comment. */
    public void send(int status, String errorComment) throws IOException {
        send(Responses.responseTo(request, status, errorComment), null);
    }

    /** Sends a pending C-FIND-RSP (0xFF00) with one matching identifier. */
    public void sendPending(InputStream identifier) throws IOException {
        send(Responses.findPending(request), identifier);
    }

    /** Sends a pending C-MOVE-RSP or C-GET-RSP (0xFF00) with the sub-operation counts. */
    public void sendPending(SubOperationCounts counts) throws IOException {
        send(Responses.retrievePending(request, counts), null);
    }

    /**
     * Sends a pending response built by the caller, with its data set or null.
     *
     * @throws IllegalArgumentException if the command's status is not pending (0xFF00 or 0xFF01)
     */
    public void sendPending(CommandSet response, InputStream dataset) throws IOException {
        if (!Status.isPending(response.status())) {
            throw new IllegalArgumentException(String.format("sendPending needs a pending status, got 0x%04X; "
                    + "use send for the final response", response.status()));
        }
        send(response, dataset);
    }

    /**
     * Sends the final C-MOVE-RSP or C-GET-RSP with the status the counts call for and, if not
     * null, the data set holding the Failed SOP Instance UID List.
     */
    public void sendFinal(SubOperationCounts counts, InputStream failedSopInstanceUidList) throws IOException {
        send(Responses.retrieveFinal(request, counts), failedSopInstanceUidList);
    }

    /** Sends a final C-MOVE-RSP or C-GET-RSP with an explicit status, such as Cancel (0xFE00). */
    public void sendFinal(int status, SubOperationCounts counts, String errorComment,
            InputStream failedSopInstanceUidList) throws IOException {
        send(Responses.retrieveFinal(request, status, counts, errorComment), failedSopInstanceUidList);
    }

    /**
     * Sends a response command and, if {@code dataset} is not null, a data set after it (such as
     * a C-FIND identifier with a pending status).
     */
    public void send(CommandSet response, InputStream dataset) throws IOException {
        if (finalSent) {
            throw new IllegalStateException("The final response to message " + request.messageId()
                    + " was already sent");
        }
        response.putUS(CommandTag.COMMAND_DATA_SET_TYPE, dataset == null ? CommandTag.NO_DATA_SET : 0x0000);
        LOG.debug("{}: sending {}", association.name(), response);
        boolean last = !Status.isPending(response.status());
        // Counted before the write: once the peer has the response it may release at once, and the
        // line logged at the release must already include this response.
        if (last) {
            association.countFinalResponse(CommandField.name(request.commandField()), Status.isFailure(response.status()));
        }
        association.dimse().send(contextId, response, dataset);
        finalSent = last;
    }

    public boolean finalSent() {
        return finalSent;
    }
}
