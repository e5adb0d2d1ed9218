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

    /** Sends a response without a data set with the given status and, for a failure, error comment. */
    public void send(int status, String errorComment) throws IOException {
        send(Responses.responseTo(request, status, errorComment), null);
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
        MessageReader.writeCommand(association, contextId, response);
        if (dataset != null) {
            try (PDataOutputStream out = new PDataOutputStream(association, contextId)) {
                dataset.transferTo(out);
            }
        }
        finalSent = !Status.isPending(response.status());
    }

    public boolean finalSent() {
        return finalSent;
    }
}
