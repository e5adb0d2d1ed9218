package org.arca.store.index;

/**
 * One patient of the index. {@code patientId} and {@code issuerOfPatientId}
 * are empty strings, not null, when the datasets had no value.
 *
 * @param patientKey the index's own key, stable for the life of this index file
 */
public record PatientEntry(
        long patientKey,
        String patientId,
        String issuerOfPatientId,
        String patientName,
        String patientBirthDate,
        String patientSex,
        int numberOfStudies) {
}
