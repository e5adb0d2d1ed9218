package org.arca.store.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Study-level lookups by the keys that a C-FIND at STUDY level uses most:
 * PatientID, a PatientName prefix, a StudyDate range and AccessionNumber. Each
 * statement is written so that SQLite runs it through an index, and a test
 * checks the query plans.
 */
final class StudyLevelQueries {

    /** Leaves out studies without a visible instance, then orders by date and time. */
    private static final String ORDER = IndexReads.ONLY_VISIBLE_STUDIES
            + " ORDER BY s.study_date, s.study_time, s.study_instance_uid";

    static final String BY_PATIENT_ID = IndexReads.SELECT_STUDIES + " WHERE p.patient_id = ?" + ORDER;

    /** A half-open range on the upper-cased name; LIKE would not use the index under SQLite's defaults. */
    static final String BY_PATIENT_NAME_PREFIX = IndexReads.SELECT_STUDIES
            + " WHERE p.patient_name_upper >= ? AND p.patient_name_upper < ?" + ORDER;

    /** StudyDate is DA text (YYYYMMDD), so the string range is the date range, both ends included. */
    static final String BY_STUDY_DATE_RANGE = IndexReads.SELECT_STUDIES
            + " WHERE s.study_date >= ? AND s.study_date <= ?" + ORDER;

    static final String BY_ACCESSION_NUMBER = IndexReads.SELECT_STUDIES + " WHERE s.accession_number = ?" + ORDER;

    /**
     * U+10FFFF, the highest code point. SQLite's BINARY collation compares UTF-8 bytes, so every string that
     * starts with a prefix sorts below prefix + U+10FFFF, unless it continues with U+10FFFF itself.
     */
    private static final String MAX_CODE_POINT = new String(Character.toChars(Character.MAX_CODE_POINT));

    private StudyLevelQueries() {
    }

    static List<StudyEntry> byPatientId(Connection c, String patientId) throws SQLException {
        return Jdbc.queryList(c, BY_PATIENT_ID, IndexReads::studyEntry, patientId);
    }

    static List<StudyEntry> byPatientNamePrefix(Connection c, String namePrefix) throws SQLException {
        String upper = HierarchyWriter.upperCase(namePrefix);
        return Jdbc.queryList(c, BY_PATIENT_NAME_PREFIX, IndexReads::studyEntry, upper, upper + MAX_CODE_POINT);
    }

    /** Either bound may be null for an open range. */
    static List<StudyEntry> byStudyDateRange(Connection c, String fromDate, String toDate) throws SQLException {
        String from = fromDate == null ? "" : fromDate;
        String to = toDate == null ? "99999999" : toDate;
        return Jdbc.queryList(c, BY_STUDY_DATE_RANGE, IndexReads::studyEntry, from, to);
    }

    static List<StudyEntry> byAccessionNumber(Connection c, String accessionNumber) throws SQLException {
        return Jdbc.queryList(c, BY_ACCESSION_NUMBER, IndexReads::studyEntry, accessionNumber);
    }
}
