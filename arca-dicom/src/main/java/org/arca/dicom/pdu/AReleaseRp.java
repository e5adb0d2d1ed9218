package org.arca.dicom.pdu;

/** An A-RELEASE-RP PDU (PS3.8 section 9.3.7). */
public record AReleaseRp() implements Pdu {
    @Override
    public int type() {
        return PduType.A_RELEASE_RP;
    }

    @Override
    public String toString() {
        return "A-RELEASE-RP";
    }
}
