package org.arca.store.retention;

import java.io.IOException;
import org.arca.store.JournalPayloadJson;

/**
 * The payload of a {@code JOURNAL_COMPACTED} journal record, in UTF-8 JSON with a
 * {@code formatVersion}. Retention forces it before it removes the segments, so every removal has
 * a record. A crash between the two leaves the segments, and the next run removes them with a new
 * record. The record changes nothing in the index. Version history: 1 - first version.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param firstRemovedSequence the first journal sequence removed
 * @param lastRemovedSequence the last journal sequence removed
 * @param segmentCount how many segment files were removed
 * @param checkpointSequence the sequence of the checkpoint that contains the removed records' effect
 * @param checkpointSnapshotFileName that checkpoint's snapshot file in {@code checkpoints/}
 * @param checkpointRecordSha256 the SHA-256 of the journal record at {@code checkpointSequence}, which
 *     anchors the retained journal's hash chain
 */
public record JournalCompactedEvent(int formatVersion, long firstRemovedSequence, long lastRemovedSequence,
        int segmentCount, long checkpointSequence, String checkpointSnapshotFileName, String checkpointRecordSha256) {

    public static final int FORMAT_VERSION = 1;

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "journal-compacted");
    }

    /** Decodes a payload; rejects a format version this Arca does not know. */
    public static JournalCompactedEvent fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        JournalCompactedEvent event = JournalPayloadJson.decode(payload, JournalCompactedEvent.class);
        JournalPayloadJson.checkFormatVersion(event.formatVersion(), FORMAT_VERSION, journalSequence,
                "journal-compacted");
        return event;
    }
}
