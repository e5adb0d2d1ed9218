package org.arca.dicom.pdu;

import java.util.Arrays;

/**
 * The user identity negotiation sub-item of a request (PS3.7 section D.3.3.7.1).
 *
 * @param identityType 1 username, 2 username and passcode, 3 Kerberos ticket, 4 SAML assertion,
 *     5 JSON Web Token
 * @param positiveResponseRequested true if the requestor requests a server response in the AC
 * @param primaryField the username, ticket, assertion or token
 * @param secondaryField the passcode for type 2, otherwise empty
 */
public record UserIdentityRq(int identityType, boolean positiveResponseRequested, byte[] primaryField,
        byte[] secondaryField) {
    public static final int USERNAME = 1;
    public static final int USERNAME_AND_PASSCODE = 2;
    public static final int KERBEROS = 3;
    public static final int SAML = 4;
    public static final int JWT = 5;

    @Override
    public boolean equals(Object other) {
        return other instanceof UserIdentityRq u && u.identityType == identityType
                && u.positiveResponseRequested == positiveResponseRequested
                && Arrays.equals(u.primaryField, primaryField) && Arrays.equals(u.secondaryField, secondaryField);
    }

    @Override
    public int hashCode() {
        return identityType * 31 + Arrays.hashCode(primaryField);
    }

    /** Leaves out the fields, because they may contain a passcode or a token. */
    @Override
    public String toString() {
        return "UserIdentityRq[type=" + identityType + ", positiveResponseRequested=" + positiveResponseRequested + "]";
    }
}
