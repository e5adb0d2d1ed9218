package org.arca.dicom.dimse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.PresentationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCU side of the DIMSE services: one outstanding operation at a time per association.
 * Each call registers for its responses, sends its request and waits for the association's
 * reader to hand the responses over, so it works from any thread, including a service running
 * on the acceptor side.
 */
public final class DimseScu {
    private static final Logger LOG = LoggerFactory.getLogger(DimseScu.class);

    private DimseScu() {
    }

    /** Sends a C-ECHO-RQ and returns the status of the C-ECHO-RSP. */
    public static int cecho(Association association, PresentationContext context) throws IOException {
        int messageId = association.nextMessageId();
        CommandSet request = new CEchoRequest(messageId, context.abstractSyntax()).toCommandSet();
        return DimseResponse.of(exchange(association, context, request, null, CommandField.C_ECHO_RSP).command())
                .status();
    }

    /** Sends a C-STORE-RQ, streams the data set and returns the C-STORE-RSP status and comment. */
    public static DimseResponse cstore(Association association, PresentationContext context, String sopInstanceUid,
            InputStream dataset, int priority) throws IOException {
        return cstore(association, context, sopInstanceUid, dataset, priority, null, -1);
    }

    /**
     * Sends a C-STORE-RQ with the Move Originator AE Title and Message ID of the C-MOVE it is a
     * sub-operation of (null and -1 for a plain C-STORE) and returns the C-STORE-RSP.
     */
    public static DimseResponse cstore(Association association, PresentationContext context, String sopInstanceUid,
            InputStream dataset, int priority, String moveOriginatorAeTitle, int moveOriginatorMessageId)
            throws IOException {
        int messageId = association.nextMessageId();
        CStoreRequest request = new CStoreRequest(messageId, priority, context.abstractSyntax(), sopInstanceUid,
                moveOriginatorAeTitle, moveOriginatorMessageId);
        DimseResponse response = DimseResponse.of(exchange(association, context, request.toCommandSet(), dataset,
                CommandField.C_STORE_RSP).command());
        LOG.debug("{}: C-STORE of {} returned {}", association.name(), sopInstanceUid, response);
        return response;
    }

    /** Sends a C-FIND-RQ with its identifier and returns the running query. */
    public static CFindOperation cfind(Association association, PresentationContext context, int priority,
            byte[] identifier) throws IOException {
        int messageId = association.nextMessageId();
        CommandSet request = new CommandSet()
                .putString(CommandTag.AFFECTED_SOP_CLASS_UID, context.abstractSyntax())
                .putUS(CommandTag.COMMAND_FIELD, CommandField.C_FIND_RQ)
                .putUS(CommandTag.MESSAGE_ID, messageId)
                .putUS(CommandTag.PRIORITY, priority)
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, 0x0000);
        DimseConnection connection = association.dimse();
        ResponseWaiter waiter = connection.expectResponses(messageId);
        sendOrClose(connection, waiter, context, request, new ByteArrayInputStream(identifier));
        return new CFindOperation(connection, context, waiter);
    }

    /** Sends a C-MOVE-RQ and returns its final response with the sub-operation counts. */
    public static RetrieveResponse cmove(Association association, PresentationContext context, int priority,
            String moveDestination, byte[] identifier) throws IOException {
        CommandSet request = retrieveRequest(association, context, CommandField.C_MOVE_RQ, priority)
                .putString(CommandTag.MOVE_DESTINATION, moveDestination);
        return retrieve(association, context, request, identifier, CommandField.C_MOVE_RSP);
    }

    /**
     * Sends a C-GET-RQ, lets {@code storage} store the C-STORE-RQ sub-operations the peer sends
     * back meanwhile, and returns the final C-GET-RSP with the sub-operation counts.
     */
    public static RetrieveResponse cget(Association association, PresentationContext context, int priority,
            byte[] identifier, StorageHandler storage) throws IOException {
        CommandSet request = retrieveRequest(association, context, CommandField.C_GET_RQ, priority);
        DimseConnection connection = association.dimse();
        connection.setRetrieveStorage(storage);
        try {
            return retrieve(association, context, request, identifier, CommandField.C_GET_RSP);
        } finally {
            connection.setRetrieveStorage(null);
        }
    }

    /** Sends an N-ACTION-RQ with the Action Information (null for none) and returns the N-ACTION-RSP. */
    public static DimseResponse naction(Association association, PresentationContext context,
            String sopInstanceUid, int actionTypeId, byte[] dataset) throws IOException {
        CommandSet request = new CommandSet()
                .putString(CommandTag.REQUESTED_SOP_CLASS_UID, context.abstractSyntax())
                .putUS(CommandTag.COMMAND_FIELD, CommandField.N_ACTION_RQ)
                .putUS(CommandTag.MESSAGE_ID, association.nextMessageId())
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, dataset == null ? CommandTag.NO_DATA_SET : 0x0000)
                .putString(CommandTag.REQUESTED_SOP_INSTANCE_UID, sopInstanceUid)
                .putUS(CommandTag.ACTION_TYPE_ID, actionTypeId);
        return DimseResponse.of(exchange(association, context, request, streamOf(dataset),
                CommandField.N_ACTION_RSP).command());
    }

    /** Sends an N-EVENT-REPORT-RQ with the Event Information (null for none) and returns the N-EVENT-REPORT-RSP. */
    public static DimseResponse neventReport(Association association, PresentationContext context,
            String sopInstanceUid, int eventTypeId, byte[] dataset) throws IOException {
        CommandSet request = new CommandSet()
                .putString(CommandTag.AFFECTED_SOP_CLASS_UID, context.abstractSyntax())
                .putUS(CommandTag.COMMAND_FIELD, CommandField.N_EVENT_REPORT_RQ)
                .putUS(CommandTag.MESSAGE_ID, association.nextMessageId())
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, dataset == null ? CommandTag.NO_DATA_SET : 0x0000)
                .putString(CommandTag.AFFECTED_SOP_INSTANCE_UID, sopInstanceUid)
                .putUS(CommandTag.EVENT_TYPE_ID, eventTypeId);
        return DimseResponse.of(exchange(association, context, request, streamOf(dataset),
                CommandField.N_EVENT_REPORT_RSP).command());
    }

    /**
     * Sends a request command built by the caller, Message ID included, with its data set or
     * null, and returns the final response command. Pending responses are skipped. It serves
     * requests this class has no method for, and tests that send unusual commands.
     */
    public static CommandSet invoke(Association association, int contextId, CommandSet request,
            InputStream dataset) throws IOException {
        PresentationContext context = association.acceptedContext(contextId);
        if (context == null) {
            throw new IllegalArgumentException("Association " + association.name()
                    + " has no accepted presentation context with ID " + contextId);
        }
        return exchange(association, context, request, dataset, request.commandField() | 0x8000).command();
    }

    // ---- helpers ----

    private static CommandSet retrieveRequest(Association association, PresentationContext context,
            int commandField, int priority) {
        return new CommandSet()
                .putString(CommandTag.AFFECTED_SOP_CLASS_UID, context.abstractSyntax())
                .putUS(CommandTag.COMMAND_FIELD, commandField)
                .putUS(CommandTag.MESSAGE_ID, association.nextMessageId())
                .putUS(CommandTag.PRIORITY, priority)
                .putUS(CommandTag.COMMAND_DATA_SET_TYPE, 0x0000);
    }

    /** Sends a C-MOVE-RQ or C-GET-RQ and follows its pending responses up to the final one. */
    // TODO: let the caller cancel a C-MOVE or C-GET, as CFindOperation.cancel() does for a C-FIND.
    private static RetrieveResponse retrieve(Association association, PresentationContext context,
            CommandSet request, byte[] identifier, int responseField) throws IOException {
        DimseConnection connection = association.dimse();
        try (ResponseWaiter waiter = connection.expectResponses(request.messageId())) {
            connection.send(context.id(), request, new ByteArrayInputStream(identifier));
            SubOperationCounts last = SubOperationCounts.NONE;
            while (true) {
                ReceivedMessage response = nextMatching(association, waiter, responseField);
                CommandSet command = response.command();
                if (Status.isPending(command.status())) {
                    last = SubOperationCounts.of(command).orElse(last);
                    continue;
                }
                DimseResponse status = DimseResponse.of(command);
                return new RetrieveResponse(status.status(), status.errorComment(),
                        SubOperationCounts.of(command).orElse(last), response.dataset());
            }
        }
    }

    /** Sends a request and returns its final response; pending responses are skipped, data sets dropped. */
    private static ReceivedMessage exchange(Association association, PresentationContext context,
            CommandSet request, InputStream dataset, int responseField) throws IOException {
        DimseConnection connection = association.dimse();
        try (ResponseWaiter waiter = connection.expectResponses(request.messageId())) {
            connection.send(context.id(), request, dataset);
            while (true) {
                ReceivedMessage response = nextMatching(association, waiter, responseField);
                if (!Status.isPending(response.command().status())) {
                    return response;
                }
            }
        }
    }

    /** Returns the next response with the expected command field, skipping others with a warning. */
    static ReceivedMessage nextMatching(Association association, ResponseWaiter waiter, int responseField)
            throws IOException {
        while (true) {
            ReceivedMessage response = waiter.next();
            if (response.command().commandField() == responseField) {
                return response;
            }
            LOG.warn("{}: ignored {} while waiting for the {} to message {}", association.name(),
                    response.command(), CommandField.name(responseField), waiter.messageId());
        }
    }

    private static void sendOrClose(DimseConnection connection, ResponseWaiter waiter, PresentationContext context,
            CommandSet request, InputStream dataset) throws IOException {
        try {
            connection.send(context.id(), request, dataset);
        } catch (IOException | RuntimeException e) {
            waiter.close();
            throw e;
        }
    }

    private static InputStream streamOf(byte[] dataset) {
        return dataset == null ? null : new ByteArrayInputStream(dataset);
    }
}
