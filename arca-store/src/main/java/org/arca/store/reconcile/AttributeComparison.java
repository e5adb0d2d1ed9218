package org.arca.store.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.store.index.InstanceRecord;

/**
 * The rules for which indexed attributes a reconciliation compares, and between which views. Keep every such
 * rule here, so that it can be changed in one place:
 *
 * <ul>
 *   <li>stored object against its INSTANCE_STORED record: every indexed attribute, because the
 *       record was extracted from exactly those bytes;
 *   <li>index against the journal: instance-level attributes against the record of that version,
 *       and patient, study and series attributes against the {@link JournalView}, which follows
 *       the journal's records in order. An attribute update journaled after the store changes the
 *       journal's view, not the stored bytes, so the index is never compared with the bytes.
 * </ul>
 *
 * Values are compared as the index stores them: an empty value equals an absent one.
 */
final class AttributeComparison {

    private AttributeComparison() {
    }

    /** Returns the indexed attributes of a stored object: its File Meta Information and dataset. */
    static Map<String, String> ofObject(Attributes fileMetaInformation, Attributes dataset) {
        Map<String, String> values = hierarchy(dataset);
        values.put("SOPInstanceUID", fileMetaInformation.getString(Tag.MediaStorageSOPInstanceUID));
        values.put("SOPClassUID", fileMetaInformation.getString(Tag.MediaStorageSOPClassUID));
        values.put("TransferSyntaxUID", fileMetaInformation.getString(Tag.TransferSyntaxUID));
        values.put("InstanceNumber", dataset.getString(Tag.InstanceNumber));
        String[] characterSets = dataset.getStrings(Tag.SpecificCharacterSet);
        values.put("SpecificCharacterSet", characterSets == null ? null : String.join("\\", characterSets));
        return values;
    }

    private static Map<String, String> hierarchy(Attributes dataset) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PatientID", dataset.getString(Tag.PatientID));
        values.put("IssuerOfPatientID", dataset.getString(Tag.IssuerOfPatientID));
        values.put("PatientName", dataset.getString(Tag.PatientName));
        values.put("PatientBirthDate", dataset.getString(Tag.PatientBirthDate));
        values.put("PatientSex", dataset.getString(Tag.PatientSex));
        values.put("StudyInstanceUID", dataset.getString(Tag.StudyInstanceUID));
        values.put("StudyDate", dataset.getString(Tag.StudyDate));
        values.put("StudyTime", dataset.getString(Tag.StudyTime));
        values.put("AccessionNumber", dataset.getString(Tag.AccessionNumber));
        values.put("StudyID", dataset.getString(Tag.StudyID));
        values.put("StudyDescription", dataset.getString(Tag.StudyDescription));
        values.put("ReferringPhysicianName", dataset.getString(Tag.ReferringPhysicianName));
        values.put("SeriesInstanceUID", dataset.getString(Tag.SeriesInstanceUID));
        values.put("Modality", dataset.getString(Tag.Modality));
        values.put("SeriesNumber", dataset.getString(Tag.SeriesNumber));
        values.put("SeriesDescription", dataset.getString(Tag.SeriesDescription));
        values.put("BodyPartExamined", dataset.getString(Tag.BodyPartExamined));
        return values;
    }

    /** Returns every indexed attribute of a journal record, for the comparison with its stored object. */
    static Map<String, String> ofRecord(InstanceRecord r) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PatientID", r.patientId());
        values.put("IssuerOfPatientID", r.issuerOfPatientId());
        values.put("PatientName", r.patientName());
        values.put("PatientBirthDate", r.patientBirthDate());
        values.put("PatientSex", r.patientSex());
        values.put("StudyInstanceUID", r.studyInstanceUid());
        values.put("StudyDate", r.studyDate());
        values.put("StudyTime", r.studyTime());
        values.put("AccessionNumber", r.accessionNumber());
        values.put("StudyID", r.studyId());
        values.put("StudyDescription", r.studyDescription());
        values.put("ReferringPhysicianName", r.referringPhysicianName());
        values.put("SeriesInstanceUID", r.seriesInstanceUid());
        values.put("Modality", r.modality());
        values.put("SeriesNumber", r.seriesNumber());
        values.put("SeriesDescription", r.seriesDescription());
        values.put("BodyPartExamined", r.bodyPartExamined());
        values.putAll(instanceLevel(r));
        return values;
    }

    /** Returns the attributes that the index keeps per instance version, from a journal record. */
    static Map<String, String> instanceLevel(InstanceRecord r) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("SOPInstanceUID", r.sopInstanceUid());
        values.put("SOPClassUID", r.sopClassUid());
        values.put("InstanceNumber", r.instanceNumber());
        values.put("TransferSyntaxUID", r.transferSyntaxUid());
        values.put("SpecificCharacterSet", r.specificCharacterSet());
        values.put("SizeBytes", Long.toString(r.sizeBytes()));
        return values;
    }

    /** Returns the same attributes from an index row. */
    static Map<String, String> instanceLevel(IndexRow row) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("SOPInstanceUID", row.sopInstanceUid());
        values.put("SOPClassUID", row.sopClassUid());
        values.put("InstanceNumber", row.instanceNumber());
        values.put("TransferSyntaxUID", row.transferSyntaxUid());
        values.put("SpecificCharacterSet", row.specificCharacterSet());
        values.put("SizeBytes", Long.toString(row.sizeBytes()));
        return values;
    }

    /**
     * Lists each attribute present in both maps whose values differ, as
     * {@code Keyword: <expectedName> 'x', <actualName> 'y'}.
     */
    static List<String> differences(Map<String, String> expected, String expectedName, Map<String, String> actual,
            String actualName) {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            if (!actual.containsKey(entry.getKey())) {
                continue;
            }
            String expectedValue = normalized(entry.getValue());
            String actualValue = normalized(actual.get(entry.getKey()));
            if (!Objects.equals(expectedValue, actualValue)) {
                differences.add(entry.getKey() + ": " + expectedName + " '" + shown(expectedValue) + "', "
                        + actualName + " '" + shown(actualValue) + "'");
            }
        }
        return differences;
    }

    private static String normalized(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String shown(String value) {
        return value == null ? "" : value;
    }
}
