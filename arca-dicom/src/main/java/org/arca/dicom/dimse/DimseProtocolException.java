package org.arca.dicom.dimse;

import java.io.IOException;

/** The peer broke the DIMSE message structure (PS3.7 Annex E), so the association must be aborted. */
public class DimseProtocolException extends IOException {
    public DimseProtocolException(String message) {
        super(message);
    }
}
