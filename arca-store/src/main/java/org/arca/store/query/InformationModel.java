package org.arca.store.query;

import java.util.List;

/**
 * A Query/Retrieve Information Model (PS3.4 C.6): the levels it has and the unique key of each.
 * In the Study Root model the patient attributes belong to the STUDY level.
 */
public enum InformationModel {
    /** Patient Root (PS3.4 C.6.1): PATIENT, STUDY, SERIES, IMAGE. */
    PATIENT_ROOT(List.of(QueryLevel.PATIENT, QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE)),
    /** Study Root (PS3.4 C.6.2): STUDY, SERIES, IMAGE. */
    STUDY_ROOT(List.of(QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE));

    private final List<QueryLevel> levels;

    InformationModel(List<QueryLevel> levels) {
        this.levels = levels;
    }

    public List<QueryLevel> levels() {
        return levels;
    }

    public boolean hasLevel(QueryLevel level) {
        return levels.contains(level);
    }

    /** Returns the unique key of a level: PatientID, StudyInstanceUID, SeriesInstanceUID or SOPInstanceUID. */
    public static QueryAttribute uniqueKey(QueryLevel level) {
        return switch (level) {
            case PATIENT -> QueryAttribute.PATIENT_ID;
            case STUDY -> QueryAttribute.STUDY_INSTANCE_UID;
            case SERIES -> QueryAttribute.SERIES_INSTANCE_UID;
            case IMAGE -> QueryAttribute.SOP_INSTANCE_UID;
        };
    }
}
