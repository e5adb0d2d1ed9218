package org.arca.dicom.association;

/** The few UIDs the Upper Layer needs; to be replaced by the shared UID dictionary. */
final class Uids {
    static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    static final String VERIFICATION = "1.2.840.10008.1.1";
    static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
    static final String DEFAULT_IMPLEMENTATION_CLASS_UID = "2.25.329800735698586629295641978511506172918";
    static final String DEFAULT_IMPLEMENTATION_VERSION_NAME = "ARCA_0_1";

    private Uids() {
    }
}
