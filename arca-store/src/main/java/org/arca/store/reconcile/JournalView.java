package org.arca.store.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.io.IOException;
import java.util.Optional;
import org.arca.store.cdp.event.RestoredEvent;
import org.arca.store.cdp.event.StudyUpdatedEvent;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.JournalRecord;

/**
 * The journal's view of the patients, studies and series that the index should contain, built
 * in the scratch file from the records in sequence order with the index's own rule: the first
 * record of a patient, study or series creates it, and later records only fill attributes that
 * are still empty (the index's upserts use COALESCE). A study keeps the patient of its first
 * record and a series the study of its first record. Attribute updates and restores set values
 * by hand; such a patient or study row is marked and no longer filled in, and a new PatientID
 * moves the study, as the index's StudyAttributeWriter does.
 *
 * <p>Columns are named by DICOM keyword. Keep this rule in step with the index's HierarchyWriter.
 */
final class JournalView {

    static final String[] PATIENT_ATTRIBUTES = {"PatientName", "PatientBirthDate", "PatientSex"};
    static final String[] STUDY_ATTRIBUTES = {"StudyDate", "StudyTime", "AccessionNumber", "StudyID",
        "StudyDescription", "ReferringPhysicianName", "PatientID", "IssuerOfPatientID"};
    static final String[] SERIES_ATTRIBUTES = {"Modality", "SeriesNumber", "SeriesDescription", "BodyPartExamined",
        "StudyInstanceUID"};

    private final ReconcileScratch scratch;
    private final PreparedStatement upsertPatient;
    private final PreparedStatement upsertStudy;
    private final PreparedStatement upsertSeries;

    JournalView(ReconcileScratch scratch) throws SQLException {
        this.scratch = scratch;
        Connection connection = scratch.connection();
        this.upsertPatient = connection.prepareStatement(upsertSql("patients", "PatientID, IssuerOfPatientID",
                PATIENT_ATTRIBUTES, 0));
        // A study keeps its first patient: the last two study columns are not updated.
        this.upsertStudy = connection.prepareStatement(upsertSql("studies", "StudyInstanceUID", STUDY_ATTRIBUTES, 2));
        this.upsertSeries = connection.prepareStatement(upsertSql("series", "SeriesInstanceUID", SERIES_ATTRIBUTES, 1));
    }

    /**
     * Fills the view with the patients, studies and series of a checkpoint snapshot: the state that
     * the records after the checkpoint continue when compaction removed the earlier ones. Call it
     * before the first record is applied. A patient or study with an update sequence counts as set by hand.
     */
    void seedFromCheckpoint(java.nio.file.Path snapshot) throws SQLException {
        Connection connection = scratch.connection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("ATTACH DATABASE '" + snapshot.toAbsolutePath().toString().replace("'", "''")
                    + "' AS checkpoint");
            try {
                statement.execute("INSERT INTO patients (PatientID, IssuerOfPatientID, PatientName, PatientBirthDate,"
                        + " PatientSex, UpdatedByHand) SELECT patient_id, issuer_of_patient_id, patient_name,"
                        + " patient_birth_date, patient_sex, updated_sequence IS NOT NULL FROM checkpoint.patients");
                statement.execute("INSERT INTO studies (StudyInstanceUID, " + String.join(", ", STUDY_ATTRIBUTES)
                        + ", UpdatedByHand) SELECT s.study_instance_uid, s.study_date, s.study_time,"
                        + " s.accession_number, s.study_id, s.study_description, s.referring_physician_name,"
                        + " p.patient_id, p.issuer_of_patient_id, s.updated_sequence IS NOT NULL"
                        + " FROM checkpoint.studies s JOIN checkpoint.patients p ON p.patient_key = s.patient_key");
                statement.execute("INSERT INTO series (SeriesInstanceUID, " + String.join(", ", SERIES_ATTRIBUTES)
                        + ") SELECT se.series_instance_uid, se.modality, se.series_number, se.series_description,"
                        + " se.body_part_examined, st.study_instance_uid FROM checkpoint.series se"
                        + " JOIN checkpoint.studies st ON st.study_key = se.study_key");
            } finally {
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                statement.execute("DETACH DATABASE checkpoint");
            }
        }
    }

    static void createTables(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE patients (PatientID TEXT NOT NULL, IssuerOfPatientID TEXT NOT NULL, "
                + String.join(" TEXT, ", PATIENT_ATTRIBUTES) + " TEXT, UpdatedByHand INTEGER NOT NULL DEFAULT 0,"
                + " PRIMARY KEY (PatientID, IssuerOfPatientID))");
        statement.execute("CREATE TABLE studies (StudyInstanceUID TEXT PRIMARY KEY, "
                + String.join(" TEXT, ", STUDY_ATTRIBUTES) + " TEXT, UpdatedByHand INTEGER NOT NULL DEFAULT 0)");
        statement.execute("CREATE TABLE series (SeriesInstanceUID TEXT PRIMARY KEY, "
                + String.join(" TEXT, ", SERIES_ATTRIBUTES) + " TEXT)");
    }

    /**
     * Builds an upsert that fills only empty columns, leaving the last {@code fixed} columns as
     * first inserted. Patient and study rows set by hand ({@code UpdatedByHand}) are not filled.
     */
    private static String upsertSql(String table, String keyColumns, String[] attributes, int fixed) {
        boolean guarded = !table.equals("series");
        StringBuilder updates = new StringBuilder();
        for (int i = 0; i < attributes.length - fixed; i++) {
            String column = attributes[i];
            String filled = "COALESCE(" + column + ", excluded." + column + ")";
            updates.append(i == 0 ? "" : ", ").append(column).append(" = ")
                    .append(guarded ? "CASE WHEN UpdatedByHand = 1 THEN " + column + " ELSE " + filled + " END"
                            : filled);
        }
        int keys = keyColumns.split(",").length;
        String placeholders = "?" + ", ?".repeat(keys + attributes.length - 1);
        return "INSERT INTO " + table + " (" + keyColumns + ", " + String.join(", ", attributes) + ") VALUES ("
                + placeholders + ") ON CONFLICT (" + keyColumns + ") DO UPDATE SET " + updates;
    }

    /** Applies an INSTANCE_STORED record. */
    void applyInstanceStored(InstanceRecord r) throws SQLException {
        String patientId = emptyIfNull(r.patientId());
        String issuer = emptyIfNull(r.issuerOfPatientId());
        execute(upsertPatient, patientId, issuer, r.patientName(), r.patientBirthDate(), r.patientSex());
        execute(upsertStudy, r.studyInstanceUid(), r.studyDate(), r.studyTime(), r.accessionNumber(), r.studyId(),
                r.studyDescription(), r.referringPhysicianName(), patientId, issuer);
        execute(upsertSeries, r.seriesInstanceUid(), r.modality(), r.seriesNumber(), r.seriesDescription(),
                r.bodyPartExamined(), r.studyInstanceUid());
        scratch.commitEveryBatch();
    }

    /**
     * Applies a record of another type. Study updates and the attribute values of restores change
     * the view. Deletes and undeletes change only visibility, which this view does not compare.
     */
    void applyOther(JournalRecord record) throws IOException, SQLException {
        if (record.type() == JournalRecordTypes.STUDY_UPDATED) {
            StudyUpdatedEvent event = StudyUpdatedEvent.fromJsonBytes(record.payload(), record.sequence());
            setByHand(event.studyInstanceUid(), event.values());
        } else if (record.type() == JournalRecordTypes.RESTORED) {
            RestoredEvent event = RestoredEvent.fromJsonBytes(record.payload(), record.sequence());
            for (RestoredEvent.StudyEffect effect : event.studies()) {
                if (!effect.values().isEmpty()) {
                    setByHand(effect.studyInstanceUid(), effect.values());
                }
            }
        }
    }

    /** Sets study and patient values by keyword, moving the study when its patient identity changes. */
    private void setByHand(String studyInstanceUid, Map<String, String> values) throws SQLException {
        Connection connection = scratch.connection();
        Optional<String[]> identity = patientOf(connection, studyInstanceUid);
        if (identity.isEmpty()) {
            return;
        }
        String patientId = values.containsKey("PatientID") ? emptyIfNull(values.get("PatientID"))
                : identity.get()[0];
        String issuer = values.containsKey("IssuerOfPatientID") ? emptyIfNull(values.get("IssuerOfPatientID"))
                : identity.get()[1];

        // A new patient row starts with the old patient's demographics; a merge keeps the target's.
        try (PreparedStatement copy = connection.prepareStatement("INSERT OR IGNORE INTO patients (PatientID,"
                + " IssuerOfPatientID, " + String.join(", ", PATIENT_ATTRIBUTES) + ") SELECT ?, ?, "
                + String.join(", ", PATIENT_ATTRIBUTES) + " FROM patients WHERE PatientID = ?"
                + " AND IssuerOfPatientID = ?")) {
            execute(copy, patientId, issuer, identity.get()[0], identity.get()[1]);
        }
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String keyword = entry.getKey();
            if (Arrays.asList(PATIENT_ATTRIBUTES).contains(keyword)) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE patients SET " + keyword
                        + " = ?, UpdatedByHand = 1 WHERE PatientID = ? AND IssuerOfPatientID = ?")) {
                    execute(update, emptyToNull(entry.getValue()), patientId, issuer);
                }
            } else if (Arrays.asList(STUDY_ATTRIBUTES).contains(keyword)) {
                String value = keyword.equals("PatientID") || keyword.equals("IssuerOfPatientID")
                        ? emptyIfNull(entry.getValue()) : emptyToNull(entry.getValue());
                try (PreparedStatement update = connection.prepareStatement("UPDATE studies SET " + keyword
                        + " = ?, UpdatedByHand = 1 WHERE StudyInstanceUID = ?")) {
                    execute(update, value, studyInstanceUid);
                }
            }
        }
        scratch.commitEveryBatch();
    }

    private static Optional<String[]> patientOf(Connection connection, String studyInstanceUid)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT PatientID, IssuerOfPatientID FROM studies WHERE StudyInstanceUID = ?")) {
            query.setString(1, studyInstanceUid);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new String[] {row.getString(1), row.getString(2)}) : Optional.empty();
            }
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static void execute(PreparedStatement statement, String... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setString(i + 1, values[i]);
        }
        statement.executeUpdate();
    }

    static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }

    /** Receives one row of the view: its key values and its attributes by keyword. */
    @FunctionalInterface
    interface RowConsumer {
        void accept(Map<String, String> keys, Map<String, String> attributes) throws SQLException;
    }

    void forEachPatient(RowConsumer consumer) throws SQLException {
        forEach("patients", new String[] {"PatientID", "IssuerOfPatientID"}, PATIENT_ATTRIBUTES, consumer);
    }

    void forEachStudy(RowConsumer consumer) throws SQLException {
        forEach("studies", new String[] {"StudyInstanceUID"}, STUDY_ATTRIBUTES, consumer);
    }

    void forEachSeries(RowConsumer consumer) throws SQLException {
        forEach("series", new String[] {"SeriesInstanceUID"}, SERIES_ATTRIBUTES, consumer);
    }

    private void forEach(String table, String[] keyColumns, String[] attributes, RowConsumer consumer)
            throws SQLException {
        scratch.connection().commit();
        try (Statement statement = scratch.connection().createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
            while (rows.next()) {
                consumer.accept(columns(rows, keyColumns), columns(rows, attributes));
            }
        }
    }

    private static Map<String, String> columns(ResultSet row, String[] names) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            values.put(name, row.getString(name));
        }
        return values;
    }
}
