package org.arca.dicom.dimse;

/** The UIDs the DIMSE layer needs; to be replaced by the shared UID dictionary. */
final class Uids {
    static final String VERIFICATION = "1.2.840.10008.1.1";

    private Uids() {
    }
}
