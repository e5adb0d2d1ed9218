package org.arca.store.cdp.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.arca.store.JournalPayloadJson;
import org.arca.store.index.IndexEdit;

/**
 * The payload of an UNDELETED journal record: an administrator undeleted a study, series or SOP
 * Instance, or a sender stored the same bytes again. The listed instances reappear in query and
 * retrieve.
 *
 * <p>UTF-8 JSON with a {@code formatVersion}. Version history: 1 - first version.
 *
 * @param level STUDY, SERIES or INSTANCE
 * @param uid the Study, Series or SOP Instance UID that was undeleted
 * @param studyInstanceUid the study that {@code uid} belongs to, for the study's history
 * @param user who undeleted; the calling AE title when a sender stored deleted bytes again
 * @param reason why, as given
 * @param sopInstanceUids every instance that this record made visible again
 */
public record UndeletedEvent(int formatVersion, String level, String uid, String studyInstanceUid, String user,
        String reason, List<String> sopInstanceUids) {

    public static final int FORMAT_VERSION = 1;

    public UndeletedEvent {
        sopInstanceUids = sopInstanceUids == null ? null : List.copyOf(sopInstanceUids);
    }

    public IndexEdit toIndexEdit() {
        return IndexEdit.show(sopInstanceUids);
    }

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "undeleted");
    }

    /** @throws IOException if the payload is not valid JSON, has an unknown format version or misses a field */
    public static UndeletedEvent fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        UndeletedEvent event = JournalPayloadJson.decode(payload, UndeletedEvent.class);
        JournalPayloadJson.checkFormatVersion(event.formatVersion(), FORMAT_VERSION, journalSequence, "undeleted");
        EventChecks.requireLevel(event.level(), journalSequence, "undeleted");
        EventChecks.requirePresent(event.uid(), "uid", journalSequence, "undeleted");
        EventChecks.requirePresent(event.studyInstanceUid(), "studyInstanceUid", journalSequence, "undeleted");
        EventChecks.requirePresent(event.sopInstanceUids(), "sopInstanceUids", journalSequence, "undeleted");
        return event;
    }

    @Override
    public String toString() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }
}
