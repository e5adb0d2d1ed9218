package org.arca.store.index;

import java.util.List;

/**
 * The index change of a DELETED, UNDELETED, STUDY_UPDATED or RESTORED journal record, spelled out
 * so that applying it needs nothing but the record: which SOP Instances to hide and show, and
 * which study attributes to set. The blobs and version rows of hidden instances stay.
 *
 * @param hiddenSopInstanceUids instances that become deleted; already deleted ones stay as they are
 * @param shownSopInstanceUids instances that become visible again
 * @param studyUpdates attribute values to set, applied after the visibility changes, in order
 */
public record IndexEdit(List<String> hiddenSopInstanceUids, List<String> shownSopInstanceUids,
        List<StudyAttributes> studyUpdates) {

    public IndexEdit {
        hiddenSopInstanceUids = List.copyOf(hiddenSopInstanceUids);
        shownSopInstanceUids = List.copyOf(shownSopInstanceUids);
        studyUpdates = List.copyOf(studyUpdates);
    }

    public static IndexEdit hide(List<String> sopInstanceUids) {
        return new IndexEdit(sopInstanceUids, List.of(), List.of());
    }

    public static IndexEdit show(List<String> sopInstanceUids) {
        return new IndexEdit(List.of(), sopInstanceUids, List.of());
    }

    public static IndexEdit update(StudyAttributes attributes) {
        return new IndexEdit(List.of(), List.of(), List.of(attributes));
    }
}
