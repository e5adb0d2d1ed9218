package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.InputStream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationHandler;
import org.arca.dicom.association.PresentationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads DIMSE requests of an established association and calls the registered services, one
 * request at a time. Failures of one request become failure responses; only a broken message
 * structure or a failed connection ends the association.
 */
final class DimseDispatcher implements AssociationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DimseDispatcher.class);

    private final DimseServiceRegistry registry;

    DimseDispatcher(DimseServiceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void serve(Association association) throws IOException {
        ReceivedCommand received;
        while ((received = MessageReader.readCommand(association)) != null) {
            association.beginOperation();
            try {
                dispatch(association, received);
            } finally {
                association.endOperation();
            }
        }
    }

    private void dispatch(Association association, ReceivedCommand received) throws IOException {
        CommandSet command = received.command();
        PresentationContext context = association.acceptedContext(received.contextId());
        if (context == null) {
            throw new DimseProtocolException("Received " + CommandField.name(command.commandField())
                    + " on presentation context " + received.contextId() + ", which was not accepted");
        }
        LOG.debug("{}: received {}", association.name(), command);
        PDataInputStream dataset = command.hasDataSet() ? new PDataInputStream(association, context.id()) : null;
        DimseResponder responder = new DimseResponder(association, context.id(), command);

        if (CommandField.isResponse(command.commandField())) {
            LOG.warn("{}: ignored {} because no request of this association is outstanding", association.name(),
                    command);
            drain(dataset);
            return;
        }
        if (command.commandField() == CommandField.C_CANCEL_RQ) {
            // TODO: deliver C-CANCEL to a running C-FIND/C-MOVE/C-GET once services run beside the reader.
            LOG.debug("{}: ignored C-CANCEL-RQ for message {} because no operation is running", association.name(),
                    command.getInt(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, -1));
            drain(dataset);
            return;
        }

        try {
            DimseService service = findService(command);
            service.handle(new DimseRequest(association, context, command,
                    dataset == null ? InputStream.nullInputStream() : dataset, new CancelSignal()), responder);
            drain(dataset);
            if (!responder.finalSent()) {
                throw new DimseException(Status.PROCESSING_FAILURE, "The service sent no final response");
            }
        } catch (DimseException e) {
            drain(dataset);
            LOG.warn("{}: {} message {} failed with status {}: {}", association.name(),
                    CommandField.name(command.commandField()), command.messageId(), String.format("0x%04X", e.status()),
                    e.errorComment());
            if (!responder.finalSent()) {
                responder.send(e.status(), e.errorComment());
            }
        } catch (RuntimeException e) {
            drain(dataset);
            LOG.warn("{}: {} message {} failed in its service, so it gets status 0x0110: {}", association.name(),
                    CommandField.name(command.commandField()), command.messageId(), e.toString(), e);
            if (!responder.finalSent()) {
                responder.send(Status.PROCESSING_FAILURE, e.toString());
            }
        }
    }

    private DimseService findService(CommandSet command) throws DimseException {
        if (!CommandField.isKnownRequest(command.commandField())) {
            throw new DimseException(Status.UNRECOGNIZED_OPERATION, String.format(
                    "Unrecognized command field 0x%04X", command.commandField()));
        }
        String sopClass = command.getString(CommandTag.AFFECTED_SOP_CLASS_UID);
        if (sopClass == null) {
            sopClass = command.getString(CommandTag.REQUESTED_SOP_CLASS_UID);
        }
        DimseService service = registry.lookup(command.commandField(), sopClass);
        if (service == null) {
            throw new DimseException(Status.SOP_CLASS_NOT_SUPPORTED, "No " + CommandField.name(command.commandField())
                    + " service for SOP class " + sopClass);
        }
        return service;
    }

    private static void drain(PDataInputStream dataset) throws IOException {
        if (dataset != null) {
            dataset.drain();
        }
    }
}
