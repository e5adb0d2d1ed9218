package org.arca.store.index;

/**
 * One series of the index.
 *
 * @param numberOfInstances SOP Instances whose current version is in this series
 */
public record SeriesEntry(
        String studyInstanceUid,
        String seriesInstanceUid,
        String modality,
        String seriesNumber,
        String seriesDescription,
        String bodyPartExamined,
        int numberOfInstances) {
}
