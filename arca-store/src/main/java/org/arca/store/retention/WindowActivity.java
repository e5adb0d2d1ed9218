package org.arca.store.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blobs and UIDs that journal records inside the CDP window name. A restore or undelete to
 * any time in the window may need them again, so retention leaves them alone.
 *
 * <p>A record is inside the window when its timestamp is at or after the window start. The blobs
 * come from INSTANCE_STORED records. The UIDs come from every other record that changes the index
 * (deletes, undeletes, updates, restores and types this version does not know): the text of every
 * JSON field whose name ends in {@code Uid} or {@code Uids}, and every field whose name contains
 * {@code sha256} counts as a blob. A UID counted by mistake only delays a reclaim.
 *
 * @param lastSequenceBeforeWindow the highest sequence below every record inside the window; a
 *     deletion at or below it happened before the window started
 * @param recordsInWindow how many records are inside the window
 * @param blobs SHA-256 values of blobs that records inside the window name
 * @param uids Study, Series and SOP Instance UIDs that records inside the window name
 */
record WindowActivity(long lastSequenceBeforeWindow, long recordsInWindow, Set<String> blobs, Set<String> uids) {

    private static final Logger LOG = LoggerFactory.getLogger(WindowActivity.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Returns whether a record inside the window names the blob or one of the UIDs of its versions. */
    boolean touches(String blobSha256, Iterable<BlobReference> references) {
        if (blobs.contains(blobSha256)) {
            return true;
        }
        for (BlobReference reference : references) {
            if (uids.contains(reference.studyInstanceUid()) || uids.contains(reference.seriesInstanceUid())
                    || uids.contains(reference.sopInstanceUid())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the journal from {@code startAfterSequence} + 1 to its last forced record. The caller
     * passes the sequence of a record written before the window (a checkpoint's), or 0. Records up
     * to it are taken to be before the window too, which holds while the journal's clock does not
     * go back by more than the window.
     *
     * @throws IOException when the journal cannot be read or an INSTANCE_STORED payload is invalid
     */
    static WindowActivity scan(Journal journal, Instant windowStart, long startAfterSequence) throws IOException {
        long windowStartMillis = windowStart.toEpochMilli();
        long firstInWindow = Long.MAX_VALUE;
        long count = 0;
        Set<String> blobs = new HashSet<>();
        Set<String> uids = new HashSet<>();
        long last = startAfterSequence;
        try (JournalReader reader = journal.read(startAfterSequence + 1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                last = record.sequence();
                if (record.timestampMillis() < windowStartMillis) {
                    continue;
                }
                firstInWindow = Math.min(firstInWindow, record.sequence());
                count++;
                collect(record, blobs, uids);
            }
        }
        long beforeWindow = firstInWindow == Long.MAX_VALUE ? last : firstInWindow - 1;
        return new WindowActivity(beforeWindow, count, Set.copyOf(blobs), Set.copyOf(uids));
    }

    private static void collect(JournalRecord record, Set<String> blobs, Set<String> uids) throws IOException {
        int type = record.type();
        if (type == JournalRecordTypes.INSTANCE_STORED) {
            InstanceRecord instance = InstanceStoredEvent.fromJsonBytes(record.payload(), record.sequence()).instance();
            blobs.add(instance.blobSha256());
            return;
        }
        if (JournalRecordTypes.leavesIndexUnchanged(type) || JournalRecordTypes.isRetentionRecord(type)) {
            return;
        }
        try {
            collectFields(JSON.readTree(record.payload()), blobs, uids);
        } catch (IOException e) {
            LOG.warn("Journal record {} of type {} inside the CDP window is not JSON ({}); retention cannot tell "
                    + "which instances it names.", record.sequence(), type, e.getMessage());
        }
    }

    private static void collectFields(JsonNode node, Set<String> blobs, Set<String> uids) {
        if (node.isArray()) {
            node.forEach(element -> collectFields(element, blobs, uids));
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (name.endsWith("uid") || name.endsWith("uids")) {
                addText(field.getValue(), uids);
            } else if (name.contains("sha256")) {
                addText(field.getValue(), blobs);
            }
            if (field.getValue().isContainerNode()) {
                collectFields(field.getValue(), blobs, uids);
            }
        }
    }

    private static void addText(JsonNode value, Set<String> into) {
        if (value.isTextual()) {
            into.add(value.asText());
        } else if (value.isArray()) {
            value.forEach(element -> addText(element, into));
        }
    }
}
