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

    /**
     * A study row as one record finds it, before the record changes anything.
     *
     * @param updatedByHand an update or a restore set its attributes, so records fill in nothing
     * @param canFillIn the record has a value for an attribute that the row still lacks
     */
    record StoredStudy(long studyKey, long patientKey, boolean updatedByHand, boolean canFillIn) {
    }

    /**
     * A series row after the upsert of one record.
     *
     * @param studyKey the study the series belongs to, which is the study of its first record
     * @param visibleInstancesBefore its count of visible instances before this record
     */
    record SeriesRow(long seriesKey, long studyKey, long visibleInstancesBefore) {
    }

    /** Reads the study row of the record's Study Instance UID, if it exists, in one statement. */
    Optional<StoredStudy> findStudy(InstanceRecord r) throws SQLException {
        return Jdbc.queryOptional(connection,
                "SELECT study_key, patient_key, updated_sequence IS NOT NULL,"
                        + " (study_date IS NULL AND ? IS NOT NULL) OR (study_time IS NULL AND ? IS NOT NULL)"
                        + " OR (accession_number IS NULL AND ? IS NOT NULL) OR (study_id IS NULL AND ? IS NOT NULL)"
                        + " OR (study_description IS NULL AND ? IS NOT NULL)"
                        + " OR (referring_physician_name IS NULL AND ? IS NOT NULL)"
                        + " FROM studies WHERE study_instance_uid = ?",
                row -> new StoredStudy(row.getLong(1), row.getLong(2), row.getBoolean(3), row.getBoolean(4)),
                r.studyDate(), r.studyTime(), r.accessionNumber(), r.studyId(), r.studyDescription(),
                r.referringPhysicianName(), r.studyInstanceUid());
    }

    /**
     * Returns the key of the patient row for (PatientID, IssuerOfPatientID), inserting it when absent.
     * An existing row is written only when the record fills in one of its empty attributes.
     */
    long upsertPatient(InstanceRecord r) throws SQLException {
        String patientId = emptyIfNull(r.patientId());
        String issuer = emptyIfNull(r.issuerOfPatientId());
        String nameUpper = upperCase(r.patientName());
        Optional<StoredPatient> existing = Jdbc.queryOptional(connection,
                "SELECT patient_key, patient_name, patient_birth_date, patient_sex,"
                        + " updated_sequence IS NULL AND ((patient_name IS NULL AND ? IS NOT NULL)"
                        + " OR (patient_name_upper IS NULL AND ? IS NOT NULL)"
                        + " OR (patient_birth_date IS NULL AND ? IS NOT NULL) OR (patient_sex IS NULL AND ? IS NOT NULL))"
                        + " FROM patients WHERE patient_id = ? AND issuer_of_patient_id = ?",
                row -> new StoredPatient(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getBoolean(5)),
                r.patientName(), nameUpper, r.patientBirthDate(), r.patientSex(), patientId, issuer);
        if (existing.isEmpty()) {
            return Jdbc.insert(connection,
                    "INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, patient_name_upper,"
                            + " patient_birth_date, patient_sex) VALUES (?, ?, ?, ?, ?, ?)",
                    patientId, issuer, r.patientName(), nameUpper, r.patientBirthDate(), r.patientSex());
        }

        StoredPatient stored = existing.get();
        logDifferingPatientAttributes(stored, r);
        if (stored.canFillIn()) {
            Jdbc.update(connection,
                    "UPDATE patients SET patient_name = COALESCE(patient_name, ?),"
                            + " patient_name_upper = COALESCE(patient_name_upper, ?),"
                            + " patient_birth_date = COALESCE(patient_birth_date, ?),"
                            + " patient_sex = COALESCE(patient_sex, ?) WHERE patient_key = ? AND updated_sequence IS NULL",
                    r.patientName(), nameUpper, r.patientBirthDate(), r.patientSex(), stored.patientKey());
        }
        return stored.patientKey();
    }

    /** A patient row as one record finds it. {@code canFillIn} is as in {@link StoredStudy}, and false when updated by hand. */
    private record StoredPatient(long patientKey, String name, String birthDate, String sex, boolean canFillIn) {
    }

    private static void logDifferingPatientAttributes(StoredPatient stored, InstanceRecord r) {
        boolean differs = differsFromStored(stored.name(), r.patientName())
                || differsFromStored(stored.birthDate(), r.patientBirthDate())
                || differsFromStored(stored.sex(), r.patientSex());
        if (differs) {
            LOG.warn("Journal record {} (SOP Instance {}) has PatientName '{}', PatientBirthDate '{}', PatientSex '{}'"
                            + " for PatientID '{}' but the index keeps the first values '{}', '{}', '{}'; the stored "
                            + "object keeps its own values.",
                    r.journalSequence(), r.sopInstanceUid(), shown(r.patientName()), shown(r.patientBirthDate()),
                    shown(r.patientSex()), shown(r.patientId()), shown(stored.name()), shown(stored.birthDate()),
                    shown(stored.sex()));
        }
    }

    private static String shown(String value) {
        return value == null ? "(empty)" : value;
    }

    /**
     * Returns the key of the study row, inserting it when {@code existing} is empty. An existing row
     * is written only when the record fills in one of its empty attributes.
     */
    long upsertStudy(InstanceRecord r, Optional<StoredStudy> existing, long patientKey) throws SQLException {
        if (existing.isEmpty()) {
            return Jdbc.insert(connection,
                    "INSERT INTO studies (patient_key, study_instance_uid, study_date, study_time, accession_number,"
                            + " study_id, study_description, referring_physician_name)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    patientKey, r.studyInstanceUid(), r.studyDate(), r.studyTime(), r.accessionNumber(),
                    r.studyId(), r.studyDescription(), r.referringPhysicianName());
        }

        StoredStudy stored = existing.get();
        if (stored.patientKey() != patientKey) {
            LOG.warn("Journal record {} (SOP Instance {}) puts Study {} under PatientID '{}' issuer '{}',"
                            + " but the study belongs to patient key {} from its first record; the index keeps"
                            + " the first patient. Reconcile the patient data of this study.",
                    r.journalSequence(), r.sopInstanceUid(), r.studyInstanceUid(), r.patientId(),
                    r.issuerOfPatientId(), stored.patientKey());
        }
        if (stored.canFillIn() && !stored.updatedByHand()) {
            Jdbc.update(connection,
                    "UPDATE studies SET study_date = COALESCE(study_date, ?), study_time = COALESCE(study_time, ?),"
                            + " accession_number = COALESCE(accession_number, ?), study_id = COALESCE(study_id, ?),"
                            + " study_description = COALESCE(study_description, ?),"
                            + " referring_physician_name = COALESCE(referring_physician_name, ?)"
                            + " WHERE study_key = ? AND updated_sequence IS NULL",
                    r.studyDate(), r.studyTime(), r.accessionNumber(), r.studyId(), r.studyDescription(),
                    r.referringPhysicianName(), stored.studyKey());
        }
        return stored.studyKey();
    }

    /**
     * Returns the series row, inserting it when absent. An existing row is written only when the
     * record fills in one of its empty attributes.
     */
    SeriesRow upsertSeries(InstanceRecord r, long studyKey) throws SQLException {
        Optional<StoredSeries> existing = Jdbc.queryOptional(connection,
                "SELECT series_key, study_key, number_of_instances,"
                        + " (modality IS NULL AND ? IS NOT NULL) OR (series_number IS NULL AND ? IS NOT NULL)"
                        + " OR (series_description IS NULL AND ? IS NOT NULL)"
                        + " OR (body_part_examined IS NULL AND ? IS NOT NULL)"
                        + " FROM series WHERE series_instance_uid = ?",
                row -> new StoredSeries(new SeriesRow(row.getLong(1), row.getLong(2), row.getLong(3)), row.getBoolean(4)),
                r.modality(), r.seriesNumber(), r.seriesDescription(), r.bodyPartExamined(), r.seriesInstanceUid());
        if (existing.isEmpty()) {
            long seriesKey = Jdbc.insert(connection,
                    "INSERT INTO series (study_key, series_instance_uid, modality, series_number,"
                            + " series_description, body_part_examined) VALUES (?, ?, ?, ?, ?, ?)",
                    studyKey, r.seriesInstanceUid(), r.modality(), r.seriesNumber(), r.seriesDescription(),
                    r.bodyPartExamined());
            return new SeriesRow(seriesKey, studyKey, 0);
        }

        SeriesRow stored = existing.get().row();
        if (stored.studyKey() != studyKey) {
            LOG.warn("Journal record {} (SOP Instance {}) puts Series {} into Study {}, but the series belongs"
                            + " to another study from its first record; the index keeps the first study.",
                    r.journalSequence(), r.sopInstanceUid(), r.seriesInstanceUid(), r.studyInstanceUid());
        }
        if (existing.get().canFillIn()) {
            Jdbc.update(connection,
                    "UPDATE series SET modality = COALESCE(modality, ?), series_number = COALESCE(series_number, ?),"
                            + " series_description = COALESCE(series_description, ?),"
                            + " body_part_examined = COALESCE(body_part_examined, ?) WHERE series_key = ?",
                    r.modality(), r.seriesNumber(), r.seriesDescription(), r.bodyPartExamined(), stored.seriesKey());
        }
        return stored;
    }

    /** A series row as one record finds it, with {@code canFillIn} as in {@link StoredStudy}. */
    private record StoredSeries(SeriesRow row, boolean canFillIn) {
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
