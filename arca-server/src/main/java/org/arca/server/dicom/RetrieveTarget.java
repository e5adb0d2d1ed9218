package org.arca.server.dicom;

import java.io.IOException;
import java.io.InputStream;
import org.arca.dicom.dimse.DimseResponse;

/**
 * Where the C-STORE sub-operations of a retrieve go: a new association to the Move Destination
 * (C-MOVE) or the requesting association itself (C-GET).
 */
interface RetrieveTarget {

    /** Returns the AE title for log lines. */
    String aeTitle();

    /**
     * Returns why an instance of this SOP class in this transfer syntax cannot be sent, such as
     * "no accepted presentation context", or null when it can.
     */
    String unsupportedReason(String sopClassUid, String transferSyntaxUid);

    /**
     * Sends one C-STORE sub-operation and returns its response.
     *
     * @throws IOException if the association failed; no further sub-operation can be sent on it
     */
    DimseResponse store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, InputStream dataset)
            throws IOException;
}
