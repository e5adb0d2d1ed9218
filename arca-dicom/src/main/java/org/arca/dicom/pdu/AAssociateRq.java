package org.arca.dicom.pdu;

import java.util.List;

/**
 * An A-ASSOCIATE-RQ PDU (PS3.8 section 9.3.2).
 *
 * @param protocolVersion bit 0 set means version 1, the only version defined
 */
public record AAssociateRq(int protocolVersion, String calledAeTitle, String callingAeTitle,
        String applicationContextName, List<PresentationContextRq> presentationContexts,
        UserInformation userInformation) implements Pdu {

    public AAssociateRq {
        presentationContexts = List.copyOf(presentationContexts);
    }

    @Override
    public int type() {
        return PduType.A_ASSOCIATE_RQ;
    }

    @Override
    public String toString() {
        return "A-ASSOCIATE-RQ[" + callingAeTitle + "->" + calledAeTitle + ", " + presentationContexts.size()
                + " presentation contexts, maxLength=" + userInformation.maxLength() + "]";
    }
}
