package org.arca.dicom.dimse;

import java.io.IOException;

/**
 * An SCP service for one or more (command field, SOP class) pairs. It sends zero or more pending
 * responses and exactly one final response through the responder, or throws a
 * {@link DimseException} that the dispatcher turns into the final failure response.
 */
@FunctionalInterface
public interface DimseService {
    /**
     * @throws IOException if the association failed; the dispatcher then aborts it
     */
    void handle(DimseRequest request, DimseResponder responder) throws DimseException, IOException;
}
