package org.arca.store.index;

import java.util.Optional;
import org.arca.dicom.data.VR;

/**
 * The attributes that an administrator may set on a study by DICOM keyword, with the index
 * column of each. Study-level attributes are columns of the study. Patient-level ones
 * are columns of the study's patient, and changing PatientID or IssuerOfPatientID moves the
 * study to another patient.
 */
public enum UpdatableAttribute {
    STUDY_DATE("StudyDate", VR.DA, false, "study_date"),
    STUDY_TIME("StudyTime", VR.TM, false, "study_time"),
    ACCESSION_NUMBER("AccessionNumber", VR.SH, false, "accession_number"),
    STUDY_ID("StudyID", VR.SH, false, "study_id"),
    STUDY_DESCRIPTION("StudyDescription", VR.LO, false, "study_description"),
    REFERRING_PHYSICIAN_NAME("ReferringPhysicianName", VR.PN, false, "referring_physician_name"),
    PATIENT_ID("PatientID", VR.LO, true, "patient_id"),
    ISSUER_OF_PATIENT_ID("IssuerOfPatientID", VR.LO, true, "issuer_of_patient_id"),
    PATIENT_NAME("PatientName", VR.PN, true, "patient_name"),
    PATIENT_BIRTH_DATE("PatientBirthDate", VR.DA, true, "patient_birth_date"),
    PATIENT_SEX("PatientSex", VR.CS, true, "patient_sex");

    private final String keyword;
    private final VR vr;
    private final boolean patientLevel;
    private final String column;

    UpdatableAttribute(String keyword, VR vr, boolean patientLevel, String column) {
        this.keyword = keyword;
        this.vr = vr;
        this.patientLevel = patientLevel;
        this.column = column;
    }

    /** Finds the attribute by its DICOM keyword, matched exactly (keywords are case-sensitive). */
    public static Optional<UpdatableAttribute> ofKeyword(String keyword) {
        for (UpdatableAttribute attribute : values()) {
            if (attribute.keyword.equals(keyword)) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    public String keyword() {
        return keyword;
    }

    public VR vr() {
        return vr;
    }

    /** Returns true for the attributes of the Patient IE, which live on the patient row. */
    public boolean patientLevel() {
        return patientLevel;
    }

    /** The column in the studies table, or in the patients table for patient-level attributes. */
    String column() {
        return column;
    }
}
