package org.arca.dicom.dimse;

import java.io.IOException;

/** The Verification SCP: responds to every C-ECHO-RQ with Success. */
public final class CEchoScp implements DimseService {
    @Override
    public void handle(DimseRequest request, DimseResponder responder) throws IOException {
        responder.send(Status.SUCCESS, null);
    }
}
