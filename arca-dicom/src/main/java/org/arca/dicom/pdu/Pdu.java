package org.arca.dicom.pdu;

/** A protocol data unit of the DICOM Upper Layer (PS3.8 section 9.3). */
public interface Pdu {

    /** Returns the PDU type byte as it appears on the wire. */
    int type();
}
