package org.arca.store.index;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads behind deletes, undeletes and restores. Unlike the query paths they include deleted
 * instances, because a change has to tell "deleted" from "unknown".
 */
final class ChangeReads {

    private static final String SELECT_STATES =
            "SELECT st.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, cv.version,"
                    + " COALESCE(i.deleted_sequence, 0)"
                    + " FROM instances i"
                    + " JOIN instance_versions cv ON cv.version_key = i.current_version_key"
                    + " JOIN series se ON se.series_key = i.series_key"
                    + " JOIN studies st ON st.study_key = se.study_key";

    private static final String ORDER_STATES = " ORDER BY st.study_instance_uid, i.sop_instance_uid";

    /** Selects the study UID and every UpdatableAttribute column, in enum order. */
    private static final String SELECT_ATTRIBUTES = selectAttributes();

    private ChangeReads() {
    }

    private static String selectAttributes() {
        StringBuilder sql = new StringBuilder("SELECT s.study_instance_uid");
        for (UpdatableAttribute attribute : UpdatableAttribute.values()) {
            sql.append(attribute.patientLevel() ? ", p." : ", s.").append(attribute.column());
        }
        return sql.append(" FROM studies s JOIN patients p ON p.patient_key = s.patient_key").toString();
    }

    static Optional<InstanceState> instanceState(Connection c, String sopInstanceUid) throws SQLException {
        return Jdbc.queryOptional(c, SELECT_STATES + " WHERE i.sop_instance_uid = ?", ChangeReads::state,
                sopInstanceUid);
    }

    static List<InstanceState> instanceStatesOfSeries(Connection c, String seriesInstanceUid) throws SQLException {
        return Jdbc.queryList(c, SELECT_STATES + " WHERE se.series_instance_uid = ?" + ORDER_STATES,
                ChangeReads::state, seriesInstanceUid);
    }

    /** Lists the instances of one study, or of every study when {@code studyInstanceUid} is null. */
    static List<InstanceState> instanceStatesOfStudy(Connection c, String studyInstanceUid) throws SQLException {
        if (studyInstanceUid == null) {
            return Jdbc.queryList(c, SELECT_STATES + ORDER_STATES, ChangeReads::state);
        }
        return Jdbc.queryList(c, SELECT_STATES + " WHERE st.study_instance_uid = ?" + ORDER_STATES,
                ChangeReads::state, studyInstanceUid);
    }

    /**
     * Returns the updatable attributes of one study, or of every study when {@code studyInstanceUid}
     * is null, by Study Instance UID. PatientID and IssuerOfPatientID are empty strings when absent,
     * the other values null.
     */
    static Map<String, Map<String, String>> studyAttributes(Connection c, String studyInstanceUid)
            throws SQLException {
        List<Map.Entry<String, Map<String, String>>> rows = studyInstanceUid == null
                ? Jdbc.queryList(c, SELECT_ATTRIBUTES, ChangeReads::attributes)
                : Jdbc.queryList(c, SELECT_ATTRIBUTES + " WHERE s.study_instance_uid = ?", ChangeReads::attributes,
                        studyInstanceUid);
        Map<String, Map<String, String>> byStudy = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> row : rows) {
            byStudy.put(row.getKey(), row.getValue());
        }
        return byStudy;
    }

    private static InstanceState state(ResultSet row) throws SQLException {
        return new InstanceState(row.getString(1), row.getString(2), row.getString(3), row.getInt(4),
                row.getLong(5));
    }

    private static Map.Entry<String, Map<String, String>> attributes(ResultSet row) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        UpdatableAttribute[] attributes = UpdatableAttribute.values();
        for (int i = 0; i < attributes.length; i++) {
            values.put(attributes[i].keyword(), row.getString(i + 2));
        }
        return Map.entry(row.getString(1), values);
    }
}
