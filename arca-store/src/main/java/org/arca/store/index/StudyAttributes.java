package org.arca.store.index;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values to set on one study, by DICOM keyword of an {@link UpdatableAttribute}. A null or empty
 * value clears the attribute. Patient-level keywords apply to the study's patient. A PatientID or
 * IssuerOfPatientID that differs from the patient's moves the study to the patient with that
 * identity, and creates that patient when it does not exist.
 *
 * @param studyInstanceUid the study to change
 * @param values keyword to value, in the order given; keywords are checked by the caller
 */
public record StudyAttributes(String studyInstanceUid, Map<String, String> values) {

    public StudyAttributes {
        // LinkedHashMap rather than Map.copyOf: values may be null, and the order shows in the journal payload.
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
