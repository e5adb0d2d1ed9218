package org.arca.store.reconcile;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.store.index.Index;

/**
 * Pass 2 of a reconciliation: the index's patients, studies and series against the journal's
 * view of them ({@link JournalView}), one row at a time. A row that the index lacks is not
 * reported here, because its instance versions are reported as missing already.
 *
 * <p>NOTE: while a node ingests, an attribute that a record being applied fills in may be
 * reported once; the next run no longer reports it.
 */
final class HierarchyPass {

    private static final String PATIENT_SQL = "SELECT patient_name AS PatientName, patient_birth_date AS"
            + " PatientBirthDate, patient_sex AS PatientSex FROM patients WHERE patient_id = ?"
            + " AND issuer_of_patient_id = ?";
    private static final String STUDY_SQL = "SELECT study_date AS StudyDate, study_time AS StudyTime,"
            + " accession_number AS AccessionNumber, study_id AS StudyID, study_description AS StudyDescription,"
            + " referring_physician_name AS ReferringPhysicianName, patients.patient_id AS PatientID,"
            + " patients.issuer_of_patient_id AS IssuerOfPatientID"
            + " FROM studies JOIN patients ON patients.patient_key = studies.patient_key"
            + " WHERE study_instance_uid = ?";
    private static final String SERIES_SQL = "SELECT modality AS Modality, series_number AS SeriesNumber,"
            + " series_description AS SeriesDescription, body_part_examined AS BodyPartExamined,"
            + " studies.study_instance_uid AS StudyInstanceUID"
            + " FROM series JOIN studies ON studies.study_key = series.study_key WHERE series_instance_uid = ?";

    private final Index index;
    private final JournalView view;
    private final boolean repair;
    private final ReportBuilder report;

    HierarchyPass(Index index, JournalView view, boolean repair, ReportBuilder report) {
        this.index = index;
        this.view = view;
        this.repair = repair;
        this.report = report;
    }

    void run() throws SQLException {
        view.forEachPatient((keys, expected) -> compare("Patient with PatientID '" + keys.get("PatientID")
                + "' and IssuerOfPatientID '" + keys.get("IssuerOfPatientID") + "'", expected, PATIENT_SQL,
                keys.get("PatientID"), keys.get("IssuerOfPatientID")));
        view.forEachStudy((keys, expected) -> compare("Study " + keys.get("StudyInstanceUID"), expected, STUDY_SQL,
                keys.get("StudyInstanceUID")));
        view.forEachSeries((keys, expected) -> compare("Series " + keys.get("SeriesInstanceUID"), expected,
                SERIES_SQL, keys.get("SeriesInstanceUID")));
    }

    private void compare(String entity, Map<String, String> expected, String sql, String... keys) {
        Map<String, String> indexed = readRow(sql, expected.keySet().size(), keys);
        if (indexed == null) {
            return;
        }
        List<String> differences = AttributeComparison.differences(expected, "journal", indexed, "index");
        if (!differences.isEmpty()) {
            report.remainingUntilIndexRebuild(Mismatch.of(MismatchKind.ATTRIBUTE_MISMATCH, 0, null, 0, null,
                    entity + ": the index differs from the journal: " + String.join("; ", differences) + ".")
                    .withRepair(repair ? VersionPass.NEEDS_INDEX_REBUILD : null));
        }
    }

    private Map<String, String> readRow(String sql, int columns, String... keys) {
        return index.read("read " + String.join(" ", keys) + " for reconciliation", reader -> {
            try (PreparedStatement statement = reader.prepareStatement(sql)) {
                for (int i = 0; i < keys.length; i++) {
                    statement.setString(i + 1, keys[i]);
                }
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        values.put(row.getMetaData().getColumnLabel(i), row.getString(i));
                    }
                    return values;
                }
            }
        });
    }
}
