package org.arca.dicom.pdu;

import java.util.Arrays;

/** The user identity negotiation sub-item of an accept (PS3.7 section D.3.3.7.2). */
public record UserIdentityAc(byte[] serverResponse) {

    @Override
    public boolean equals(Object other) {
        return other instanceof UserIdentityAc u && Arrays.equals(u.serverResponse, serverResponse);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(serverResponse);
    }

    @Override
    public String toString() {
        return "UserIdentityAc[" + serverResponse.length + " bytes]";
    }
}
