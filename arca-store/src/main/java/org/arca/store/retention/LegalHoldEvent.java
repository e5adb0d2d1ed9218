package org.arca.store.retention;

import java.io.IOException;
import org.arca.store.JournalPayloadJson;
import org.arca.store.ingest.IndexChange;
import org.arca.store.journal.JournalRecord;

/**
 * The payload of a {@code LEGAL_HOLD_SET} or {@code LEGAL_HOLD_RELEASED} journal record, in UTF-8
 * JSON with a {@code formatVersion}. The record type distinguishes the two. Version history: 1 - first
 * version.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param studyInstanceUid the study put under or released from legal hold
 * @param user who asked for it
 * @param reason why, as given by that user
 */
public record LegalHoldEvent(int formatVersion, String studyInstanceUid, String user, String reason) {

    public static final int FORMAT_VERSION = 1;

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "legal-hold");
    }

    /** Decodes a payload; rejects a format version this Arca does not know. */
    public static LegalHoldEvent fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        LegalHoldEvent event = JournalPayloadJson.decode(payload, LegalHoldEvent.class);
        JournalPayloadJson.checkFormatVersion(event.formatVersion(), FORMAT_VERSION, journalSequence, "legal-hold");
        return event;
    }

    /** Returns the index change of a hold record: a row in {@code legal_holds} added or removed. */
    public static IndexChange indexChangeOf(JournalRecord record, boolean hold) throws IOException {
        LegalHoldEvent event = fromJsonBytes(record.payload(), record.sequence());
        String what = (hold ? "set the legal hold on Study " : "release the legal hold on Study ")
                + event.studyInstanceUid();
        return index -> index.applyRecord(record.sequence(), what, writer -> {
            if (hold) {
                RetentionTables.insertHold(writer, event, record.timestampMillis(), record.sequence());
            } else {
                RetentionTables.deleteHold(writer, event.studyInstanceUid());
            }
        });
    }
}
