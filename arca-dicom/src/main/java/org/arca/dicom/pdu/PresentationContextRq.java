package org.arca.dicom.pdu;

import java.util.List;

/** A presentation context item of an A-ASSOCIATE-RQ (PS3.8 section 9.3.2.2). */
public record PresentationContextRq(int id, String abstractSyntax, List<String> transferSyntaxes) {
    public PresentationContextRq {
        transferSyntaxes = List.copyOf(transferSyntaxes);
    }
}
