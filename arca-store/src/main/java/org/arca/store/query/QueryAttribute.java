package org.arca.store.query;

import java.util.Optional;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;

/**
 * The attributes that the index can match and return, each with the level it belongs to and
 * its SQL expression. The aliases are {@code p} (patients), {@code s} (studies), {@code se}
 * (series), {@code i} (instances) and {@code v} (the current instance version).
 *
 * <p>The counts and ModalitiesInStudy are the additional keys of PS3.4 C.3.4 and C.6.1.1.3:
 * the counts are returned and never matched.
 */
public enum QueryAttribute {
    PATIENT_NAME(Tag.PatientName, VR.PN, QueryLevel.PATIENT, Kind.PERSON_NAME, "p.patient_name"),
    PATIENT_ID(Tag.PatientID, VR.LO, QueryLevel.PATIENT, Kind.PLAIN, "p.patient_id"),
    ISSUER_OF_PATIENT_ID(Tag.IssuerOfPatientID, VR.LO, QueryLevel.PATIENT, Kind.PLAIN, "p.issuer_of_patient_id"),
    PATIENT_BIRTH_DATE(Tag.PatientBirthDate, VR.DA, QueryLevel.PATIENT, Kind.PLAIN, "p.patient_birth_date"),
    PATIENT_SEX(Tag.PatientSex, VR.CS, QueryLevel.PATIENT, Kind.PLAIN, "p.patient_sex"),
    NUMBER_OF_PATIENT_RELATED_STUDIES(Tag.NumberOfPatientRelatedStudies, VR.IS, QueryLevel.PATIENT, Kind.COUNT,
            "(SELECT COUNT(*) FROM studies ps WHERE ps.patient_key = p.patient_key AND ps.number_of_instances > 0)"),
    NUMBER_OF_PATIENT_RELATED_SERIES(Tag.NumberOfPatientRelatedSeries, VR.IS, QueryLevel.PATIENT, Kind.COUNT,
            "(SELECT COALESCE(SUM(ps.number_of_series), 0) FROM studies ps WHERE ps.patient_key = p.patient_key)"),
    NUMBER_OF_PATIENT_RELATED_INSTANCES(Tag.NumberOfPatientRelatedInstances, VR.IS, QueryLevel.PATIENT, Kind.COUNT,
            "(SELECT COALESCE(SUM(ps.number_of_instances), 0) FROM studies ps WHERE ps.patient_key = p.patient_key)"),

    STUDY_INSTANCE_UID(Tag.StudyInstanceUID, VR.UI, QueryLevel.STUDY, Kind.PLAIN, "s.study_instance_uid"),
    STUDY_DATE(Tag.StudyDate, VR.DA, QueryLevel.STUDY, Kind.PLAIN, "s.study_date"),
    STUDY_TIME(Tag.StudyTime, VR.TM, QueryLevel.STUDY, Kind.PLAIN, "s.study_time"),
    ACCESSION_NUMBER(Tag.AccessionNumber, VR.SH, QueryLevel.STUDY, Kind.PLAIN, "s.accession_number"),
    STUDY_ID(Tag.StudyID, VR.SH, QueryLevel.STUDY, Kind.PLAIN, "s.study_id"),
    STUDY_DESCRIPTION(Tag.StudyDescription, VR.LO, QueryLevel.STUDY, Kind.PLAIN, "s.study_description"),
    REFERRING_PHYSICIAN_NAME(Tag.ReferringPhysicianName, VR.PN, QueryLevel.STUDY, Kind.PERSON_NAME,
            "s.referring_physician_name"),
    MODALITIES_IN_STUDY(Tag.ModalitiesInStudy, VR.CS, QueryLevel.STUDY, Kind.MODALITIES, "s.modalities_in_study"),
    NUMBER_OF_STUDY_RELATED_SERIES(Tag.NumberOfStudyRelatedSeries, VR.IS, QueryLevel.STUDY, Kind.COUNT,
            "s.number_of_series"),
    NUMBER_OF_STUDY_RELATED_INSTANCES(Tag.NumberOfStudyRelatedInstances, VR.IS, QueryLevel.STUDY, Kind.COUNT,
            "s.number_of_instances"),

    SERIES_INSTANCE_UID(Tag.SeriesInstanceUID, VR.UI, QueryLevel.SERIES, Kind.PLAIN, "se.series_instance_uid"),
    MODALITY(Tag.Modality, VR.CS, QueryLevel.SERIES, Kind.PLAIN, "se.modality"),
    SERIES_NUMBER(Tag.SeriesNumber, VR.IS, QueryLevel.SERIES, Kind.PLAIN, "se.series_number"),
    SERIES_DESCRIPTION(Tag.SeriesDescription, VR.LO, QueryLevel.SERIES, Kind.PLAIN, "se.series_description"),
    BODY_PART_EXAMINED(Tag.BodyPartExamined, VR.CS, QueryLevel.SERIES, Kind.PLAIN, "se.body_part_examined"),
    NUMBER_OF_SERIES_RELATED_INSTANCES(Tag.NumberOfSeriesRelatedInstances, VR.IS, QueryLevel.SERIES, Kind.COUNT,
            "se.number_of_instances"),

    SOP_INSTANCE_UID(Tag.SOPInstanceUID, VR.UI, QueryLevel.IMAGE, Kind.PLAIN, "i.sop_instance_uid"),
    SOP_CLASS_UID(Tag.SOPClassUID, VR.UI, QueryLevel.IMAGE, Kind.PLAIN, "v.sop_class_uid"),
    INSTANCE_NUMBER(Tag.InstanceNumber, VR.IS, QueryLevel.IMAGE, Kind.PLAIN, "v.instance_number");

    /** The matching rule of an attribute. */
    public enum Kind {
        /** Compared as stored. */
        PLAIN,
        /** A Person Name, compared ignoring case unless the query asks otherwise. */
        PERSON_NAME,
        /** ModalitiesInStudy: stored as the values joined by "\"; matches when any value matches. */
        MODALITIES,
        /** A count of related entities: returned, never matched. */
        COUNT
    }

    private final int tag;
    private final VR vr;
    private final QueryLevel level;
    private final Kind kind;
    private final String column;

    QueryAttribute(int tag, VR vr, QueryLevel level, Kind kind, String column) {
        this.tag = tag;
        this.vr = vr;
        this.level = level;
        this.kind = kind;
        this.column = column;
    }

    public int tag() {
        return tag;
    }

    public VR vr() {
        return vr;
    }

    public QueryLevel level() {
        return level;
    }

    public Kind kind() {
        return kind;
    }

    /** The SQL expression that yields the stored value. */
    String column() {
        return column;
    }

    /** Returns true when a query at the level in the model can return and match this attribute. */
    public boolean isAvailableAt(QueryLevel queryLevel, InformationModel model) {
        QueryLevel effective = level == QueryLevel.PATIENT && model == InformationModel.STUDY_ROOT
                ? QueryLevel.STUDY : level;
        return effective.isAtOrAbove(queryLevel);
    }

    public static Optional<QueryAttribute> ofTag(int tag) {
        for (QueryAttribute attribute : values()) {
            if (attribute.tag == tag) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }
}
