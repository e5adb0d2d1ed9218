package org.arca.store.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the attributes of one study and of its patient from a {@link StudyAttributes}, inside the
 * caller's transaction on the writer connection, and marks both rows as updated by hand so that
 * later ingests neither fill them in nor move the study back.
 */
final class StudyAttributeWriter {

    private static final Logger LOG = LoggerFactory.getLogger(StudyAttributeWriter.class);

    private final Connection connection;

    StudyAttributeWriter(Connection connection) {
        this.connection = connection;
    }

    void apply(long journalSequence, StudyAttributes update) throws SQLException {
        Optional<long[]> study = Jdbc.queryOptional(connection,
                "SELECT study_key, patient_key FROM studies WHERE study_instance_uid = ?",
                row -> new long[] {row.getLong(1), row.getLong(2)}, update.studyInstanceUid());
        if (study.isEmpty()) {
            LOG.warn("Journal record {} updates Study {}, which is not in the index; nothing to apply. Rebuild the"
                    + " index from the journal if the study should exist.", journalSequence,
                    update.studyInstanceUid());
            return;
        }
        long studyKey = study.get()[0];

        // 1. The study's own columns.
        setColumns("studies", "study_key", studyKey, update.values(), false, journalSequence);

        // 2. A new patient identity moves the study; 3. the patient's other columns.
        long patientKey = movePatientIfIdentityChanged(journalSequence, studyKey, study.get()[1], update);
        boolean patientLevel = update.values().keySet().stream()
                .anyMatch(keyword -> attributeOf(keyword, journalSequence).patientLevel());
        if (patientLevel) {
            setColumns("patients", "patient_key", patientKey, update.values(), true, journalSequence);
        }
    }

    private void setColumns(String table, String keyColumn, long key, Map<String, String> values,
            boolean patientLevel, long journalSequence) throws SQLException {
        List<String> assignments = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            UpdatableAttribute attribute = attributeOf(entry.getKey(), journalSequence);
            boolean identity = attribute == UpdatableAttribute.PATIENT_ID
                    || attribute == UpdatableAttribute.ISSUER_OF_PATIENT_ID;
            if (attribute.patientLevel() != patientLevel || identity) {
                continue;
            }
            String value = emptyToNull(entry.getValue());
            assignments.add(attribute.column() + " = ?");
            parameters.add(value);
            if (attribute == UpdatableAttribute.PATIENT_NAME) {
                assignments.add("patient_name_upper = ?");
                parameters.add(HierarchyWriter.upperCase(value));
            }
        }
        assignments.add("updated_sequence = ?");
        parameters.add(journalSequence);
        parameters.add(key);
        Jdbc.update(connection, "UPDATE " + table + " SET " + String.join(", ", assignments)
                + " WHERE " + keyColumn + " = ?", parameters.toArray());
    }

    /** Returns the key of the study's patient after the update, moving the study when its identity changed. */
    private long movePatientIfIdentityChanged(long journalSequence, long studyKey, long patientKey,
            StudyAttributes update) throws SQLException {
        Map<String, String> values = update.values();
        if (!values.containsKey("PatientID") && !values.containsKey("IssuerOfPatientID")) {
            return patientKey;
        }
        String[] current = Jdbc.queryOptional(connection,
                "SELECT patient_id, issuer_of_patient_id, patient_name, patient_birth_date, patient_sex"
                        + " FROM patients WHERE patient_key = ?",
                row -> new String[] {row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5)}, patientKey).orElseThrow();
        String patientId = values.containsKey("PatientID") ? emptyIfNull(values.get("PatientID")) : current[0];
        String issuer = values.containsKey("IssuerOfPatientID")
                ? emptyIfNull(values.get("IssuerOfPatientID")) : current[1];
        if (Objects.equals(patientId, current[0]) && Objects.equals(issuer, current[1])) {
            return patientKey;
        }

        Optional<Long> existing = Jdbc.queryOptional(connection,
                "SELECT patient_key FROM patients WHERE patient_id = ? AND issuer_of_patient_id = ?",
                row -> row.getLong(1), patientId, issuer);
        // A new patient row starts with the old patient's demographics; a merge keeps the target's.
        long target = existing.isPresent() ? existing.get() : Jdbc.insert(connection,
                "INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, patient_name_upper,"
                        + " patient_birth_date, patient_sex) VALUES (?, ?, ?, ?, ?, ?)",
                patientId, issuer, current[2], HierarchyWriter.upperCase(current[2]), current[3], current[4]);
        Jdbc.update(connection, "UPDATE studies SET patient_key = ? WHERE study_key = ?", target, studyKey);
        LOG.info("Journal record {} moved Study {} from PatientID '{}' issuer '{}' to {} PatientID '{}' issuer '{}'.",
                journalSequence, update.studyInstanceUid(), current[0], current[1],
                existing.isPresent() ? "the existing" : "the new", patientId, issuer);
        return target;
    }

    private static UpdatableAttribute attributeOf(String keyword, long journalSequence) {
        return UpdatableAttribute.ofKeyword(keyword).orElseThrow(() -> new IndexException("Journal record "
                + journalSequence + " sets attribute '" + keyword + "', which the index cannot hold; upgrade Arca"
                + " to apply this journal."));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
