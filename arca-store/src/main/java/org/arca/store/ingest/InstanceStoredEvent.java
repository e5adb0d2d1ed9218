package org.arca.store.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.arca.store.JournalPayloadJson;
import org.arca.store.index.InstanceRecord;

/**
 * The payload of an {@link JournalRecordTypes#INSTANCE_STORED} journal record: everything
 * the index keeps about one stored version, so that the index can be rebuilt from the
 * journal alone.
 *
 * <p>Encoded as UTF-8 JSON with a {@code formatVersion} field. Version history:
 * 1 - first version.
 *
 * @param formatVersion the payload format version, {@link #FORMAT_VERSION} when written
 * @param instance the indexed attributes; its journalSequence is 0 in the payload because
 *     the journal assigns the sequence
 * @param supersededSha256 the SHA-256 of the version this one follows, or null for version 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceStoredEvent(int formatVersion, InstanceRecord instance, String supersededSha256) {

    public static final int FORMAT_VERSION = 1;

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "instance-stored");
    }

    /**
     * Decodes a payload and stamps the record's journal sequence into the instance.
     *
     * @throws IOException if the payload is not valid JSON or has an unknown format version
     */
    public static InstanceStoredEvent fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        InstanceStoredEvent event = JournalPayloadJson.decode(payload, InstanceStoredEvent.class);
        JournalPayloadJson.checkFormatVersion(event.formatVersion(), FORMAT_VERSION, journalSequence,
                "instance-stored");
        return new InstanceStoredEvent(event.formatVersion(), event.instance().withJournalSequence(journalSequence),
                event.supersededSha256());
    }

    @Override
    public String toString() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }
}
