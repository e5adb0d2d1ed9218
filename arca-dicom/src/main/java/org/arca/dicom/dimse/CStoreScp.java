package org.arca.dicom.dimse;

import java.io.IOException;
import org.arca.dicom.association.PresentationContext;

/** The Storage SCP: checks a C-STORE-RQ and passes its data set to a {@link StorageHandler}. */
public final class CStoreScp implements DimseService {
    private final StorageHandler handler;

    public CStoreScp(StorageHandler handler) {
        this.handler = handler;
    }

    @Override
    public void handle(DimseRequest request, DimseResponder responder) throws DimseException, IOException {
        CStoreRequest store = CStoreRequest.of(request.command());
        PresentationContext context = request.presentationContext();
        if (store.affectedSopClassUid() == null || store.affectedSopInstanceUid() == null) {
            throw new DimseException(Status.MISTYPED_ARGUMENT,
                    "C-STORE-RQ lacks Affected SOP Class or Instance UID");
        }
        if (!context.abstractSyntax().equals(store.affectedSopClassUid())) {
            throw new DimseException(Status.SOP_CLASS_NOT_SUPPORTED, "SOP class " + store.affectedSopClassUid()
                    + " differs from context " + context.id());
        }
        int status = handler.store(request.association(), context, store, request.dataset());
        // The rest of the data set must be read before the response, so drain it here too.
        if (request.dataset() instanceof PDataInputStream dataset) {
            dataset.drain();
        }
        responder.send(status, null);
    }
}
