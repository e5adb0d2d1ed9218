package org.arca.store.index;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The index change of a DELETED, UNDELETED, STUDY_UPDATED or RESTORED journal record, spelled out
 * so that applying it needs nothing but the record. It lists which SOP Instances to hide and
 * show, which version of an instance is current, and which study attributes to set. The blobs and version rows of hidden instances stay.
 *
 * @param hiddenSopInstanceUids instances that become deleted; already deleted ones stay as they are
 * @param shownSopInstanceUids instances that become visible again
 * @param currentVersions the version to make current, by SOP Instance UID, for a restore to a time
 *     before a newer version arrived; the newer versions stay stored, and the next new version
 *     becomes current again
 * @param studyUpdates attribute values to set, applied after the visibility and version changes, in order
 */
public record IndexEdit(List<String> hiddenSopInstanceUids, List<String> shownSopInstanceUids,
        Map<String, Integer> currentVersions, List<StudyAttributes> studyUpdates) {

    public IndexEdit {
        hiddenSopInstanceUids = List.copyOf(hiddenSopInstanceUids);
        shownSopInstanceUids = List.copyOf(shownSopInstanceUids);
        currentVersions = Collections.unmodifiableMap(new TreeMap<>(currentVersions));
        studyUpdates = List.copyOf(studyUpdates);
    }

    public static IndexEdit hide(List<String> sopInstanceUids) {
        return new IndexEdit(sopInstanceUids, List.of(), Map.of(), List.of());
    }

    public static IndexEdit show(List<String> sopInstanceUids) {
        return new IndexEdit(List.of(), sopInstanceUids, Map.of(), List.of());
    }

    public static IndexEdit update(StudyAttributes attributes) {
        return new IndexEdit(List.of(), List.of(), Map.of(), List.of(attributes));
    }
}
