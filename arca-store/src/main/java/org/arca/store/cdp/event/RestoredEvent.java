package org.arca.store.cdp.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.arca.store.JournalPayloadJson;
import org.arca.store.index.IndexEdit;
import org.arca.store.index.StudyAttributes;

/**
 * The payload of a RESTORED journal record: an administrator restored one study, or the whole
 * archive, to its state as of a point in time. The record lists every effect per study, so that
 * applying it needs nothing but this payload, and a later restore can undo it like any change.
 *
 * <p>UTF-8 JSON with a {@code formatVersion}. Version history: 1 - first version.
 *
 * @param asOfMillis the requested point in time, epoch milliseconds
 * @param asOfSequence the last journal sequence written at or before that time, 0 for none
 * @param scopeStudyInstanceUid the one study restored, or null for the whole archive
 * @param user who restored
 * @param reason why, as given
 * @param studies the effect on each study that changed
 */
public record RestoredEvent(int formatVersion, long asOfMillis, long asOfSequence, String scopeStudyInstanceUid,
        String user, String reason, List<StudyEffect> studies) {

    public static final int FORMAT_VERSION = 1;

    /**
     * The changes a restore makes to one study.
     *
     * @param hiddenSopInstanceUids instances visible now and absent or deleted as of the time
     * @param shownSopInstanceUids instances deleted now and visible as of the time
     * @param currentVersions the version current as of the time, by SOP Instance UID, for instances
     *     that got a newer version since then
     * @param values the attribute values as of the time, by keyword; empty when none differ
     * @param previousValues the values before the restore, same keywords, for the history
     */
    public record StudyEffect(String studyInstanceUid, List<String> hiddenSopInstanceUids,
            List<String> shownSopInstanceUids, Map<String, Integer> currentVersions, Map<String, String> values,
            Map<String, String> previousValues) {

        public StudyEffect {
            hiddenSopInstanceUids = hiddenSopInstanceUids == null ? List.of() : List.copyOf(hiddenSopInstanceUids);
            shownSopInstanceUids = shownSopInstanceUids == null ? List.of() : List.copyOf(shownSopInstanceUids);
            currentVersions = currentVersions == null ? Map.of() : Collections.unmodifiableMap(
                    new TreeMap<>(currentVersions));
            values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
            previousValues = previousValues == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(previousValues));
        }
    }

    public RestoredEvent {
        studies = studies == null ? null : List.copyOf(studies);
    }

    /** Flattens the per-study effects: visibility first, then current versions, then attribute values. */
    public IndexEdit toIndexEdit() {
        List<String> hidden = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        Map<String, Integer> currentVersions = new TreeMap<>();
        List<StudyAttributes> updates = new ArrayList<>();
        for (StudyEffect study : studies) {
            hidden.addAll(study.hiddenSopInstanceUids());
            shown.addAll(study.shownSopInstanceUids());
            currentVersions.putAll(study.currentVersions());
            if (!study.values().isEmpty()) {
                updates.add(new StudyAttributes(study.studyInstanceUid(), study.values()));
            }
        }
        return new IndexEdit(hidden, shown, currentVersions, updates);
    }

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "restored");
    }

    /** @throws IOException if the payload is not valid JSON, has an unknown format version or misses a field */
    public static RestoredEvent fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        RestoredEvent event = JournalPayloadJson.decode(payload, RestoredEvent.class);
        JournalPayloadJson.checkFormatVersion(event.formatVersion(), FORMAT_VERSION, journalSequence, "restored");
        EventChecks.requirePresent(event.studies(), "studies", journalSequence, "restored");
        for (StudyEffect study : event.studies()) {
            EventChecks.requirePresent(study.studyInstanceUid(), "studies[].studyInstanceUid", journalSequence,
                    "restored");
        }
        return event;
    }

    @Override
    public String toString() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }
}
