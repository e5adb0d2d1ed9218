package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.InputStream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationHandler;
import org.arca.dicom.association.PresentationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the DIMSE requests of an established association with the registered services. The
 * association thread reads the messages (see {@link DimseConnection}), and each request runs on the
 * service thread. Failures of one request become failure responses. Only a broken message
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
        association.dimse().serve(registry);
    }

    /** Runs one request on the service thread and makes sure it gets exactly one final response. */
    static void dispatch(DimseConnection connection, Association association, PresentationContext context,
            CommandSet command, PDataInputStream dataset, CancelSignal cancel) throws IOException {
        DimseResponder responder = new DimseResponder(association, context.id(), command);
        try {
            DimseService service = findService(connection, command);
            service.handle(new DimseRequest(association, context, command,
                    dataset == null ? InputStream.nullInputStream() : dataset, cancel), responder);
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

    private static DimseService findService(DimseConnection connection, CommandSet command) throws DimseException {
        if (!CommandField.isKnownRequest(command.commandField())) {
            throw new DimseException(Status.UNRECOGNIZED_OPERATION, String.format(
                    "Unrecognized command field 0x%04X", command.commandField()));
        }
        String sopClass = command.getString(CommandTag.AFFECTED_SOP_CLASS_UID);
        if (sopClass == null) {
            sopClass = command.getString(CommandTag.REQUESTED_SOP_CLASS_UID);
        }
        DimseService service = connection.serviceFor(command.commandField(), sopClass);
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
