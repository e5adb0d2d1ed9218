package org.arca.dicom.association;

import java.io.IOException;

/**
 * Serves an established association on the acceptor side, typically by reading DIMSE requests
 * until the peer releases or aborts. It runs on the association's own thread.
 */
@FunctionalInterface
public interface AssociationHandler {
    void serve(Association association) throws IOException;
}
