package org.arca.store.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts the patient, study and series rows of one instance record on the
 * writer connection, inside the caller's transaction.
 *
 * <p>The first record of a patient, study or series sets its attributes. A
 * later record only fills in attributes that are still empty, so that replaying
 * the journal in order always yields the same rows. A study stays linked to the
 * patient of its first record. A later record that names another patient is
 * logged and does not move the study. Rows that an update or a restore set by
 * hand ({@code updated_sequence} not null) are not filled in by later records.
 */
final class HierarchyWriter {

    private static final Logger LOG = LoggerFactory.getLogger(HierarchyWriter.class);

    private final Connection connection;

    HierarchyWriter(Connection connection) {
        this.connection = connection;
    }

    /** Returns the key of the patient row for (PatientID, IssuerOfPatientID), inserting it when absent. */
    long upsertPatient(InstanceRecord r) throws SQLException {
        String patientId = emptyIfNull(r.patientId());
        String issuer = emptyIfNull(r.issuerOfPatientId());
        Optional<Long> existing = Jdbc.queryOptional(connection,
                "SELECT patient_key FROM patients WHERE patient_id = ? AND issuer_of_patient_id = ?",
                row -> row.getLong(1), patientId, issuer);
        if (existing.isEmpty()) {
            return Jdbc.insert(connection,
                    "INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, patient_name_upper,"
                            + " patient_birth_date, patient_sex) VALUES (?, ?, ?, ?, ?, ?)",
                    patientId, issuer, r.patientName(), upperCase(r.patientName()),
                    r.patientBirthDate(), r.patientSex());
        }

        long patientKey = existing.get();
        logDifferingPatientAttributes(patientKey, r);
        Jdbc.update(connection,
                "UPDATE patients SET patient_name = COALESCE(patient_name, ?),"
                        + " patient_name_upper = COALESCE(patient_name_upper, ?),"
                        + " patient_birth_date = COALESCE(patient_birth_date, ?),"
                        + " patient_sex = COALESCE(patient_sex, ?) WHERE patient_key = ? AND updated_sequence IS NULL",
                r.patientName(), upperCase(r.patientName()), r.patientBirthDate(), r.patientSex(), patientKey);
        return patientKey;
    }

    private void logDifferingPatientAttributes(long patientKey, InstanceRecord r) throws SQLException {
        String[] stored = Jdbc.queryOptional(connection,
                "SELECT patient_name, patient_birth_date, patient_sex FROM patients WHERE patient_key = ?",
                row -> new String[] {row.getString(1), row.getString(2), row.getString(3)}, patientKey)
                .orElseThrow();
        boolean differs = differsFromStored(stored[0], r.patientName())
                || differsFromStored(stored[1], r.patientBirthDate())
                || differsFromStored(stored[2], r.patientSex());
        if (differs) {
            LOG.warn("Journal record {} (SOP Instance {}) has PatientName '{}', PatientBirthDate '{}', PatientSex '{}'"
                            + " for PatientID '{}' but the index keeps the first values '{}', '{}', '{}'; the stored "
                            + "object keeps its own values.",
                    r.journalSequence(), r.sopInstanceUid(), shown(r.patientName()), shown(r.patientBirthDate()),
                    shown(r.patientSex()), shown(r.patientId()), shown(stored[0]), shown(stored[1]), shown(stored[2]));
        }
    }

    private static String shown(String value) {
        return value == null ? "(empty)" : value;
    }

    /** Returns the patient key of the study when an update or a restore set its attributes by hand. */
    Optional<Long> patientOfUpdatedStudy(String studyInstanceUid) throws SQLException {
        return Jdbc.queryOptional(connection,
                "SELECT patient_key FROM studies WHERE study_instance_uid = ? AND updated_sequence IS NOT NULL",
                row -> row.getLong(1), studyInstanceUid);
    }

    /** Returns the key of the study row, inserting it when absent. */
    long upsertStudy(InstanceRecord r, long patientKey) throws SQLException {
        Optional<long[]> existing = Jdbc.queryOptional(connection,
                "SELECT study_key, patient_key FROM studies WHERE study_instance_uid = ?",
                row -> new long[] {row.getLong(1), row.getLong(2)}, r.studyInstanceUid());
        if (existing.isEmpty()) {
            return Jdbc.insert(connection,
                    "INSERT INTO studies (patient_key, study_instance_uid, study_date, study_time, accession_number,"
                            + " study_id, study_description, referring_physician_name)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    patientKey, r.studyInstanceUid(), r.studyDate(), r.studyTime(), r.accessionNumber(),
                    r.studyId(), r.studyDescription(), r.referringPhysicianName());
        }

        long studyKey = existing.get()[0];
        long storedPatientKey = existing.get()[1];
        if (storedPatientKey != patientKey) {
            LOG.warn("Journal record {} (SOP Instance {}) puts Study {} under PatientID '{}' issuer '{}',"
                            + " but the study belongs to patient key {} from its first record; the index keeps"
                            + " the first patient. Reconcile the patient data of this study.",
                    r.journalSequence(), r.sopInstanceUid(), r.studyInstanceUid(), r.patientId(),
                    r.issuerOfPatientId(), storedPatientKey);
        }
        Jdbc.update(connection,
                "UPDATE studies SET study_date = COALESCE(study_date, ?), study_time = COALESCE(study_time, ?),"
                        + " accession_number = COALESCE(accession_number, ?), study_id = COALESCE(study_id, ?),"
                        + " study_description = COALESCE(study_description, ?),"
                        + " referring_physician_name = COALESCE(referring_physician_name, ?)"
                        + " WHERE study_key = ? AND updated_sequence IS NULL",
                r.studyDate(), r.studyTime(), r.accessionNumber(), r.studyId(), r.studyDescription(),
                r.referringPhysicianName(), studyKey);
        return studyKey;
    }

    /** Returns the key of the series row, inserting it when absent. */
    long upsertSeries(InstanceRecord r, long studyKey) throws SQLException {
        Optional<long[]> existing = Jdbc.queryOptional(connection,
                "SELECT series_key, study_key FROM series WHERE series_instance_uid = ?",
                row -> new long[] {row.getLong(1), row.getLong(2)}, r.seriesInstanceUid());
        if (existing.isEmpty()) {
            return Jdbc.insert(connection,
                    "INSERT INTO series (study_key, series_instance_uid, modality, series_number,"
                            + " series_description, body_part_examined) VALUES (?, ?, ?, ?, ?, ?)",
                    studyKey, r.seriesInstanceUid(), r.modality(), r.seriesNumber(), r.seriesDescription(),
                    r.bodyPartExamined());
        }

        long seriesKey = existing.get()[0];
        if (existing.get()[1] != studyKey) {
            LOG.warn("Journal record {} (SOP Instance {}) puts Series {} into Study {}, but the series belongs"
                            + " to another study from its first record; the index keeps the first study.",
                    r.journalSequence(), r.sopInstanceUid(), r.seriesInstanceUid(), r.studyInstanceUid());
        }
        Jdbc.update(connection,
                "UPDATE series SET modality = COALESCE(modality, ?), series_number = COALESCE(series_number, ?),"
                        + " series_description = COALESCE(series_description, ?),"
                        + " body_part_examined = COALESCE(body_part_examined, ?) WHERE series_key = ?",
                r.modality(), r.seriesNumber(), r.seriesDescription(), r.bodyPartExamined(), seriesKey);
        return seriesKey;
    }

    /** Upper-cases a Person Name for case-insensitive matching; Locale.ROOT keeps it independent of the host. */
    static String upperCase(String personName) {
        return personName == null ? null : personName.toUpperCase(Locale.ROOT);
    }

    private static boolean differsFromStored(String stored, String received) {
        return received != null && stored != null && !Objects.equals(stored, received);
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
