package org.arca.store.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arca.store.index.InstanceRecord;
import org.arca.store.journal.JournalRecord;

/**
 * The journal's view of the patients, studies and series that the index should contain, built
 * in the scratch file from the records in sequence order with the index's own rule: the first
 * record of a patient, study or series creates it, and later records only fill attributes that
 * are still empty (the index's upserts use COALESCE). A study keeps the patient of its first
 * record and a series the study of its first record.
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

    static void createTables(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE patients (PatientID TEXT NOT NULL, IssuerOfPatientID TEXT NOT NULL, "
                + String.join(" TEXT, ", PATIENT_ATTRIBUTES) + " TEXT, PRIMARY KEY (PatientID, IssuerOfPatientID))");
        statement.execute("CREATE TABLE studies (StudyInstanceUID TEXT PRIMARY KEY, "
                + String.join(" TEXT, ", STUDY_ATTRIBUTES) + " TEXT)");
        statement.execute("CREATE TABLE series (SeriesInstanceUID TEXT PRIMARY KEY, "
                + String.join(" TEXT, ", SERIES_ATTRIBUTES) + " TEXT)");
    }

    /** Builds an upsert that fills only empty columns, leaving the last {@code fixed} columns as first inserted. */
    private static String upsertSql(String table, String keyColumns, String[] attributes, int fixed) {
        StringBuilder updates = new StringBuilder();
        for (int i = 0; i < attributes.length - fixed; i++) {
            updates.append(i == 0 ? "" : ", ").append(attributes[i]).append(" = COALESCE(").append(attributes[i])
                    .append(", excluded.").append(attributes[i]).append(')');
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
     * Applies a record of another type. No other type changes patient, study or series attributes yet.
     */
    void applyOther(JournalRecord record) {
        // TODO: apply the attribute update records of the point-in-time changes (types 5 to 8) here, so
        // that the index is compared with the updated values, not with the values of the stored objects.
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
