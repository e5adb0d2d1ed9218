package org.arca.dicom.pdu;

import java.util.List;

/**
 * An A-ASSOCIATE-AC PDU (PS3.8 section 9.3.3). The AE titles repeat the request's values.
 */
public record AAssociateAc(int protocolVersion, String calledAeTitle, String callingAeTitle,
        String applicationContextName, List<PresentationContextAc> presentationContexts,
        UserInformation userInformation) implements Pdu {

    public AAssociateAc {
        presentationContexts = List.copyOf(presentationContexts);
    }

    @Override
    public int type() {
        return PduType.A_ASSOCIATE_AC;
    }

    @Override
    public String toString() {
        long accepted = presentationContexts.stream().filter(PresentationContextAc::accepted).count();
        return "A-ASSOCIATE-AC[" + callingAeTitle + "->" + calledAeTitle + ", " + accepted + " of "
                + presentationContexts.size() + " presentation contexts accepted, maxLength="
                + userInformation.maxLength() + "]";
    }
}
