package org.arca.server.dicom;

/** The Query/Retrieve Level (0008,0052) values that a retrieve of this archive supports. */
enum RetrieveLevel {
    PATIENT("PatientID"),
    STUDY("StudyInstanceUID"),
    SERIES("SeriesInstanceUID"),
    IMAGE("SOPInstanceUID");

    private final String uniqueKeyName;

    RetrieveLevel(String uniqueKeyName) {
        this.uniqueKeyName = uniqueKeyName;
    }

    String uniqueKeyName() {
        return uniqueKeyName;
    }

    /** Returns the level for the attribute value, or null when it is missing or not allowed in the model. */
    static RetrieveLevel of(String value, boolean patientRoot) {
        if (value == null) {
            return null;
        }
        return switch (value.strip()) {
            case "PATIENT" -> patientRoot ? PATIENT : null;
            case "STUDY" -> STUDY;
            case "SERIES" -> SERIES;
            case "IMAGE" -> IMAGE;
            default -> null;
        };
    }
}
