package org.arca.cli.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.pdu.PresentationContextRq;

/** Sends test instances with Arca's own SCU, which lets a test control every byte it sends. */
final class Scu {

    static final String CALLING_AE = "TESTSCU";

    private Scu() {
    }

    static Association connect(int port, String sopClassUid, String transferSyntaxUid) throws IOException {
        return AssociationRequestor.connect("127.0.0.1", port, CALLING_AE, "ARCA",
                List.of(new PresentationContextRq(1, sopClassUid, List.of(transferSyntaxUid))));
    }

    /** Sends one instance on a new association and returns the C-STORE response. */
    static DimseResponse store(int port, TestInstance instance) throws IOException {
        return store(port, instance.sopClassUid(), instance.sopInstanceUid(), instance.transferSyntaxUid(),
                instance.dataset());
    }

    /** Sends a C-STORE whose command and dataset bytes the caller chooses, malformed ones included. */
    static DimseResponse store(int port, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
            byte[] dataset) throws IOException {
        Association association = connect(port, sopClassUid, transferSyntaxUid);
        try {
            DimseResponse response = association.cstore(sopClassUid, sopInstanceUid, transferSyntaxUid,
                    new ByteArrayInputStream(dataset), 0);
            association.release();
            return response;
        } catch (IOException | RuntimeException e) {
            association.abort();
            throw e;
        }
    }
}
