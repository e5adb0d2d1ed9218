package org.arca.store.index;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The read queries of the index and the mapping of their rows to records, on a connection the caller owns. */
final class IndexReads {

    /** Selects InstanceVersion columns; the WHERE clause is appended by the caller. */
    private static final String SELECT_VERSIONS =
            "SELECT st.study_instance_uid, se.series_instance_uid, v.sop_instance_uid, v.version,"
                    + " i.current_version_key = v.version_key, v.sop_class_uid, v.instance_number,"
                    + " v.transfer_syntax_uid, v.specific_character_set, v.blob_sha256, v.size_bytes,"
                    + " v.journal_sequence, v.received_at_millis, v.source_ae_title"
                    + " FROM instance_versions v"
                    + " JOIN instances i ON i.instance_key = v.instance_key"
                    + " JOIN series se ON se.series_key = v.series_key"
                    + " JOIN studies st ON st.study_key = se.study_key";

    /** Orders instances as a viewer would: by InstanceNumber as a number, then by UID and version. */
    private static final String ORDER_VERSIONS =
            " ORDER BY CAST(v.instance_number AS INTEGER), v.sop_instance_uid, v.version";

    private static final String ONLY_CURRENT = " AND v.version_key = i.current_version_key";

    /** Leaves out deleted instances; appended to every WHERE clause of a read that query or retrieve uses. */
    static final String ONLY_VISIBLE = " AND i.deleted_sequence IS NULL";

    /** Selects StudyEntry columns; the WHERE clause is appended by the caller. */
    static final String SELECT_STUDIES =
            "SELECT p.patient_key, p.patient_id, p.patient_name, s.study_instance_uid, s.study_date, s.study_time,"
                    + " s.accession_number, s.study_id, s.study_description, s.referring_physician_name,"
                    + " s.modalities_in_study, s.number_of_series, s.number_of_instances"
                    + " FROM studies s JOIN patients p ON p.patient_key = s.patient_key";

    /** Leaves out studies without a visible instance: deleted ones, and those whose instances all moved. */
    static final String ONLY_VISIBLE_STUDIES = " AND s.number_of_instances > 0";

    private static final String ORDER_STUDIES = " ORDER BY s.study_date, s.study_time, s.study_instance_uid";

    private IndexReads() {
    }

    static Optional<InstanceVersion> currentVersion(Connection c, String sopInstanceUid) throws SQLException {
        return Jdbc.queryOptional(c, SELECT_VERSIONS + " WHERE i.sop_instance_uid = ?" + ONLY_CURRENT + ONLY_VISIBLE,
                IndexReads::instanceVersion, sopInstanceUid);
    }

    /** Returns the current version whether or not the instance is deleted, for version numbering. */
    static Optional<InstanceVersion> currentVersionIncludingDeleted(Connection c, String sopInstanceUid)
            throws SQLException {
        return Jdbc.queryOptional(c, SELECT_VERSIONS + " WHERE i.sop_instance_uid = ?" + ONLY_CURRENT,
                IndexReads::instanceVersion, sopInstanceUid);
    }

    static List<InstanceVersion> versions(Connection c, String sopInstanceUid) throws SQLException {
        return Jdbc.queryList(c, SELECT_VERSIONS + " WHERE v.sop_instance_uid = ? ORDER BY v.version",
                IndexReads::instanceVersion, sopInstanceUid);
    }

    static int nextVersionNumber(Connection c, String sopInstanceUid) throws SQLException {
        return (int) Jdbc.queryLong(c,
                "SELECT COALESCE(MAX(version), 0) + 1 FROM instance_versions WHERE sop_instance_uid = ?",
                sopInstanceUid);
    }

    static Optional<InstanceVersion> findVersionByBlob(Connection c, String sopInstanceUid, String sha256)
            throws SQLException {
        return Jdbc.queryOptional(c,
                SELECT_VERSIONS + " WHERE v.sop_instance_uid = ? AND v.blob_sha256 = ? ORDER BY v.version LIMIT 1",
                IndexReads::instanceVersion, sopInstanceUid, sha256);
    }

    static List<InstanceVersion> versionsWithBlob(Connection c, String sha256) throws SQLException {
        return Jdbc.queryList(c, SELECT_VERSIONS + " WHERE v.blob_sha256 = ? ORDER BY v.journal_sequence",
                IndexReads::instanceVersion, sha256);
    }

    static List<InstanceVersion> instancesOfSeries(Connection c, String seriesInstanceUid, boolean allVersions)
            throws SQLException {
        String where = " WHERE se.series_instance_uid = ?" + ONLY_VISIBLE + (allVersions ? "" : ONLY_CURRENT);
        return Jdbc.queryList(c, SELECT_VERSIONS + where + ORDER_VERSIONS,
                IndexReads::instanceVersion, seriesInstanceUid);
    }

    static List<InstanceVersion> instancesOfStudy(Connection c, String studyInstanceUid, boolean allVersions)
            throws SQLException {
        String where = " WHERE st.study_instance_uid = ?" + ONLY_VISIBLE + (allVersions ? "" : ONLY_CURRENT);
        return Jdbc.queryList(c, SELECT_VERSIONS + where
                        + " ORDER BY CAST(se.series_number AS INTEGER), se.series_instance_uid,"
                        + " CAST(v.instance_number AS INTEGER), v.sop_instance_uid, v.version",
                IndexReads::instanceVersion, studyInstanceUid);
    }

    static List<PatientEntry> patients(Connection c) throws SQLException {
        return Jdbc.queryList(c,
                "SELECT p.patient_key, p.patient_id, p.issuer_of_patient_id, p.patient_name, p.patient_birth_date,"
                        + " p.patient_sex, (SELECT COUNT(*) FROM studies s WHERE s.patient_key = p.patient_key"
                        + "   AND s.number_of_instances > 0) AS visible_studies"
                        + " FROM patients p WHERE visible_studies > 0 ORDER BY p.patient_name_upper, p.patient_id",
                row -> new PatientEntry(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getString(6), row.getInt(7)));
    }

    static List<StudyEntry> studies(Connection c, long patientKey) throws SQLException {
        return Jdbc.queryList(c, SELECT_STUDIES + " WHERE s.patient_key = ?" + ONLY_VISIBLE_STUDIES + ORDER_STUDIES,
                IndexReads::studyEntry, patientKey);
    }

    static Optional<StudyEntry> study(Connection c, String studyInstanceUid) throws SQLException {
        return Jdbc.queryOptional(c, SELECT_STUDIES + " WHERE s.study_instance_uid = ?" + ONLY_VISIBLE_STUDIES,
                IndexReads::studyEntry, studyInstanceUid);
    }

    static List<SeriesEntry> series(Connection c, String studyInstanceUid) throws SQLException {
        return Jdbc.queryList(c,
                "SELECT st.study_instance_uid, se.series_instance_uid, se.modality, se.series_number,"
                        + " se.series_description, se.body_part_examined, se.number_of_instances"
                        + " FROM series se JOIN studies st ON st.study_key = se.study_key"
                        + " WHERE st.study_instance_uid = ? AND se.number_of_instances > 0"
                        + " ORDER BY CAST(se.series_number AS INTEGER), se.series_instance_uid",
                row -> new SeriesEntry(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getString(6), row.getInt(7)),
                studyInstanceUid);
    }

    static IndexCounts counts(Connection c) throws SQLException {
        return new IndexCounts(
                Jdbc.queryLong(c, "SELECT COUNT(*) FROM patients"),
                Jdbc.queryLong(c, "SELECT COUNT(*) FROM studies"),
                Jdbc.queryLong(c, "SELECT COUNT(*) FROM series"),
                Jdbc.queryLong(c, "SELECT COUNT(*) FROM instances"),
                Jdbc.queryLong(c, "SELECT COUNT(*) FROM instance_versions"));
    }

    static StudyEntry studyEntry(ResultSet row) throws SQLException {
        return new StudyEntry(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9),
                row.getString(10), row.getString(11), row.getInt(12), row.getInt(13));
    }

    private static InstanceVersion instanceVersion(ResultSet row) throws SQLException {
        return new InstanceVersion(row.getString(1), row.getString(2), row.getString(3), row.getInt(4),
                row.getBoolean(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9),
                row.getString(10), row.getLong(11), row.getLong(12), row.getLong(13), row.getString(14));
    }
}
