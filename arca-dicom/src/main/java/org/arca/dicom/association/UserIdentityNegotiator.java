package org.arca.dicom.association;

import org.arca.dicom.pdu.UserIdentityAc;
import org.arca.dicom.pdu.UserIdentityRq;

/** Decides the user identity server response for an A-ASSOCIATE-AC (PS3.7 D.3.3.7). */
@FunctionalInterface
public interface UserIdentityNegotiator {
    /** The negotiator that sends no server response. */
    UserIdentityNegotiator NONE = (callingAeTitle, identity) -> null;

    /**
     * Returns the server response to put into the A-ASSOCIATE-AC, or null to omit the sub-item.
     * Only called when the requestor set "positive response requested".
     */
    UserIdentityAc negotiate(String callingAeTitle, UserIdentityRq identity);
}
