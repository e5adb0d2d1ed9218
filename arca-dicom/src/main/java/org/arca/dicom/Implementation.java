package org.arca.dicom;

/** Identity of Arca's DICOM implementation, sent in file meta information and association negotiation. */
public final class Implementation {

    /** Implementation Class UID: "2.25." followed by the decimal value of a random UUID generated once (PS3.5 B.2). */
    public static final String CLASS_UID = "2.25.23569501657687153287404915942487971646";

    /** Implementation Version Name, at most 16 characters of the SH VR. */
    public static final String VERSION_NAME = "ARCA_0_1";

    private Implementation() {
    }
}
