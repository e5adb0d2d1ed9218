package org.arca.store.index;

/**
 * One study of the index with its derived attributes.
 *
 * @param modalitiesInStudy distinct Modality values of its series, sorted and joined with '\'
 * @param numberOfInstances SOP Instances counted once each, whatever their number of versions
 */
public record StudyEntry(
        long patientKey,
        String patientId,
        String patientName,
        String studyInstanceUid,
        String studyDate,
        String studyTime,
        String accessionNumber,
        String studyId,
        String studyDescription,
        String referringPhysicianName,
        String modalitiesInStudy,
        int numberOfSeries,
        int numberOfInstances) {
}
