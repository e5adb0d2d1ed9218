package org.arca.store.cdp.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arca.store.JournalPayloadJson;
import org.arca.store.index.IndexEdit;
import org.arca.store.index.StudyAttributes;

/**
 * The payload of a STUDY_UPDATED journal record: an administrator set attributes of a study or of
 * its patient. The index changes; the stored objects keep their bytes.
 *
 * <p>UTF-8 JSON with a {@code formatVersion}. Version history: 1 - first version.
 *
 * @param studyInstanceUid the study updated
 * @param values the new values by DICOM keyword; null or empty clears the attribute
 * @param previousValues the values before the update, same keywords, for the history
 * @param user who updated
 * @param reason why, as given
 */
public record StudyUpdatedEvent(int formatVersion, String studyInstanceUid, Map<String, String> values,
        Map<String, String> previousValues, String user, String reason) {

    public static final int FORMAT_VERSION = 1;

    public StudyUpdatedEvent {
        values = values == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        previousValues = previousValues == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(previousValues));
    }

    public IndexEdit toIndexEdit() {
        return IndexEdit.update(new StudyAttributes(studyInstanceUid, values));
    }

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "study-updated");
    }

    /** @throws IOException if the payload is not valid JSON, has an unknown format version or misses a field */
    public static StudyUpdatedEvent fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        StudyUpdatedEvent event = JournalPayloadJson.decode(payload, StudyUpdatedEvent.class);
        JournalPayloadJson.checkFormatVersion(event.formatVersion(), FORMAT_VERSION, journalSequence,
                "study-updated");
        EventChecks.requirePresent(event.studyInstanceUid(), "studyInstanceUid", journalSequence, "study-updated");
        EventChecks.requirePresent(event.values(), "values", journalSequence, "study-updated");
        return event;
    }

    @Override
    public String toString() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }
}
