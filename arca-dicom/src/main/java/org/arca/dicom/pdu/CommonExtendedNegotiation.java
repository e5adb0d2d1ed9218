package org.arca.dicom.pdu;

import java.util.List;

/** The SOP class common extended negotiation sub-item (PS3.7 section D.3.3.6), request only. */
public record CommonExtendedNegotiation(String sopClassUid, String serviceClassUid,
        List<String> relatedGeneralSopClassUids) {
    public CommonExtendedNegotiation {
        relatedGeneralSopClassUids = List.copyOf(relatedGeneralSopClassUids);
    }
}
