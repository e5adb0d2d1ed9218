package org.arca.dicom.pdu;

import java.util.Arrays;

/** The SOP class extended negotiation sub-item (PS3.7 section D.3.3.5). */
public record ExtendedNegotiation(String sopClassUid, byte[] serviceClassApplicationInformation) {

    @Override
    public boolean equals(Object other) {
        return other instanceof ExtendedNegotiation e && e.sopClassUid.equals(sopClassUid)
                && Arrays.equals(e.serviceClassApplicationInformation, serviceClassApplicationInformation);
    }

    @Override
    public int hashCode() {
        return sopClassUid.hashCode() * 31 + Arrays.hashCode(serviceClassApplicationInformation);
    }
}
