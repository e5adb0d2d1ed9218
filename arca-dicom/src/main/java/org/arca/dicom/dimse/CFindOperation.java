package org.arca.dicom.dimse;

import java.io.IOException;
import org.arca.dicom.association.PresentationContext;

/**
 * A C-FIND-RQ in progress on the SCU side. Read the matches with {@link #nextMatch()} on one
 * thread, and call {@link #cancel()} from any thread. Until the final response arrives the
 * association can run no other operation.
 */
public final class CFindOperation {
    private final DimseConnection connection;
    private final PresentationContext context;
    private final ResponseWaiter waiter;
    private volatile DimseResponse finalResponse;
    private boolean cancelSent;

    CFindOperation(DimseConnection connection, PresentationContext context, ResponseWaiter waiter) {
        this.connection = connection;
        this.context = context;
        this.waiter = waiter;
    }

    /** Returns the Message ID of the C-FIND-RQ. */
    public int messageId() {
        return waiter.messageId();
    }

    /** Returns the presentation context; the identifiers are encoded in its transfer syntax. */
    public PresentationContext presentationContext() {
        return context;
    }

    /**
     * Waits for the next response and returns the identifier of a pending one (empty if the SCP
     * sent a pending response without one), or null once the final response arrived.
     */
    public byte[] nextMatch() throws IOException {
        if (finalResponse != null) {
            return null;
        }
        ReceivedMessage response = DimseScu.nextMatching(connection.association(), waiter, CommandField.C_FIND_RSP);
        if (Status.isPending(response.command().status())) {
            return response.dataset() == null ? new byte[0] : response.dataset();
        }
        finalResponse = DimseResponse.of(response.command());
        waiter.close();
        return null;
    }

    /**
     * Sends a C-CANCEL-RQ for this query, once. The SCP then ends it with status Cancel
     * (0xFE00). Matches already sent still arrive through {@link #nextMatch()}.
     */
    public void cancel() throws IOException {
        synchronized (this) {
            if (cancelSent || finalResponse != null) {
                return;
            }
            cancelSent = true;
        }
        CommandSet request = new CommandSet()
                .putUS(CommandTag.COMMAND_FIELD, CommandField.C_CANCEL_RQ)
                .putUS(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, messageId())
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, CommandTag.NO_DATA_SET);
        connection.send(context.id(), request, null);
    }

    /** Reads and drops the remaining matches, then returns the final response. */
    public DimseResponse finalResponse() throws IOException {
        while (nextMatch() != null) {
            // The caller wants the status only.
        }
        return finalResponse;
    }
}
