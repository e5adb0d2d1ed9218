package org.arca.dicom.association;

import java.io.IOException;
import org.arca.dicom.pdu.AAssociateRj;

/** The acceptor rejected the A-ASSOCIATE-RQ; carries its A-ASSOCIATE-RJ. */
public class AssociationRejectedException extends IOException {
    private final AAssociateRj rejection;

    public AssociationRejectedException(String message, AAssociateRj rejection) {
        super(message);
        this.rejection = rejection;
    }

    public AAssociateRj rejection() {
        return rejection;
    }
}
