package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.InputStream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationAbortedException;
import org.arca.dicom.association.PresentationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SCU side of C-ECHO and C-STORE: one outstanding operation at a time per association. */
public final class DimseScu {
    private static final Logger LOG = LoggerFactory.getLogger(DimseScu.class);

    private DimseScu() {
    }

    /** Sends a C-ECHO-RQ and returns the status of the C-ECHO-RSP. */
    public static int cecho(Association association, PresentationContext context) throws IOException {
        int messageId = association.nextMessageId();
        MessageReader.writeCommand(association, context.id(),
                new CEchoRequest(messageId, context.abstractSyntax()).toCommandSet());
        return awaitResponse(association, messageId, CommandField.C_ECHO_RSP).status();
    }

    /** Sends a C-STORE-RQ, streams the data set and returns the C-STORE-RSP status and comment. */
    public static DimseResponse cstore(Association association, PresentationContext context, String sopInstanceUid,
            InputStream dataset, int priority) throws IOException {
        int messageId = association.nextMessageId();
        CStoreRequest request = new CStoreRequest(messageId, priority, context.abstractSyntax(), sopInstanceUid,
                null, -1);
        MessageReader.writeCommand(association, context.id(), request.toCommandSet());
        try (PDataOutputStream out = new PDataOutputStream(association, context.id())) {
            dataset.transferTo(out);
        }
        DimseResponse response = awaitResponse(association, messageId, CommandField.C_STORE_RSP);
        LOG.debug("{}: C-STORE of {} returned {}", association.name(), sopInstanceUid, response);
        return response;
    }

    /** Reads messages until the final response to {@code messageId}; pending responses are skipped. */
    private static DimseResponse awaitResponse(Association association, int messageId, int commandField)
            throws IOException {
        while (true) {
            ReceivedCommand received = MessageReader.readCommand(association);
            if (received == null) {
                throw new AssociationAbortedException("Association " + association.name()
                        + " ended before the " + CommandField.name(commandField) + " to message " + messageId);
            }
            CommandSet command = received.command();
            if (command.hasDataSet()) {
                new PDataInputStream(association, received.contextId()).drain();
            }
            boolean matches = command.commandField() == commandField
                    && command.getInt(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, -1) == messageId;
            if (!matches) {
                LOG.warn("{}: ignored {} while waiting for the {} to message {}", association.name(), command,
                        CommandField.name(commandField), messageId);
                continue;
            }
            if (!Status.isPending(command.status())) {
                return DimseResponse.of(command);
            }
        }
    }
}
