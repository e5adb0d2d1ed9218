package org.arca.dicom.pdu;

/** An A-RELEASE-RQ PDU (PS3.8 section 9.3.6). */
public record AReleaseRq() implements Pdu {
    @Override
    public int type() {
        return PduType.A_RELEASE_RQ;
    }

    @Override
    public String toString() {
        return "A-RELEASE-RQ";
    }
}
