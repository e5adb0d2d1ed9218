package org.arca.store.cdp.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.arca.store.JournalPayloadJson;
import org.arca.store.index.IndexEdit;

/**
 * The payload of a DELETED journal record: an administrator deleted a study, series or SOP
 * Instance. The blobs stay; the listed instances disappear from query and retrieve.
 *
 * <p>UTF-8 JSON with a {@code formatVersion}. Version history: 1 - first version.
 *
 * @param level STUDY, SERIES or INSTANCE
 * @param uid the Study, Series or SOP Instance UID that the administrator named
 * @param studyInstanceUid the study that {@code uid} belongs to, for the study's history
 * @param user who deleted
 * @param reason why, as given
 * @param sopInstanceUids every instance that this record hid; instances already deleted are not listed
 */
public record DeletedEvent(int formatVersion, String level, String uid, String studyInstanceUid, String user,
        String reason, List<String> sopInstanceUids) {

    public static final int FORMAT_VERSION = 1;

    public DeletedEvent {
        sopInstanceUids = sopInstanceUids == null ? null : List.copyOf(sopInstanceUids);
    }

    public IndexEdit toIndexEdit() {
        return IndexEdit.hide(sopInstanceUids);
    }

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "deleted");
    }

    /** @throws IOException if the payload is not valid JSON, has an unknown format version or misses a field */
    public static DeletedEvent fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        DeletedEvent event = JournalPayloadJson.decode(payload, DeletedEvent.class);
        JournalPayloadJson.checkFormatVersion(event.formatVersion(), FORMAT_VERSION, journalSequence, "deleted");
        EventChecks.requireLevel(event.level(), journalSequence, "deleted");
        EventChecks.requirePresent(event.uid(), "uid", journalSequence, "deleted");
        EventChecks.requirePresent(event.studyInstanceUid(), "studyInstanceUid", journalSequence, "deleted");
        EventChecks.requirePresent(event.sopInstanceUids(), "sopInstanceUids", journalSequence, "deleted");
        return event;
    }

    @Override
    public String toString() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }
}
