package org.arca.dicom.pdu;

import java.util.List;

/**
 * The user information item (PS3.8 section 9.3.2.3 and PS3.7 Annex D.3.3). Optional sub-items
 * are null when absent; lists are empty when absent.
 *
 * @param maxLength the maximum length of the variable field of P-DATA-TF PDUs the sender can
 *     receive, in bytes; 0 means no maximum
 */
public record UserInformation(long maxLength, String implementationClassUid, String implementationVersionName,
        AsyncOperationsWindow asyncOperationsWindow, List<RoleSelection> roleSelections,
        List<ExtendedNegotiation> extendedNegotiations,
        List<CommonExtendedNegotiation> commonExtendedNegotiations, UserIdentityRq userIdentityRq,
        UserIdentityAc userIdentityAc) {

    public UserInformation {
        roleSelections = List.copyOf(roleSelections);
        extendedNegotiations = List.copyOf(extendedNegotiations);
        commonExtendedNegotiations = List.copyOf(commonExtendedNegotiations);
    }

    /** Returns user information with only the mandatory sub-items and an optional version name. */
    public static UserInformation of(long maxLength, String implementationClassUid,
            String implementationVersionName) {
        return new UserInformation(maxLength, implementationClassUid, implementationVersionName, null,
                List.of(), List.of(), List.of(), null, null);
    }
}
