package org.arca.store.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import org.arca.store.JournalPayloadJson;

/**
 * One repair made by a reconciliation: the payload of a {@code RECONCILE_ACTION} journal record,
 * in UTF-8 JSON. Format history ({@code formatVersion}): 1 - first version.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param action what was done, one of the constants of this record
 * @param blobSha256 the blob acted on, null when none
 * @param journalSequence the journal record the action follows from, 0 when none
 * @param sopInstanceUid the SOP Instance involved, null when unknown
 * @param version its version, 0 when unknown
 * @param detail one sentence on why
 * @param atMillis when, epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReconcileAction(int formatVersion, String action, String blobSha256, long journalSequence,
        String sopInstanceUid, int version, String detail, long atMillis) {

    public static final int FORMAT_VERSION = 1;

    public static final String ORPHAN_QUARANTINED = "orphan-quarantined";
    public static final String QUARANTINED_ORPHAN_DELETED = "quarantined-orphan-deleted";
    public static final String BLOB_RESTORED_FROM_QUARANTINE = "blob-restored-from-quarantine";
    public static final String INDEX_RECORD_REAPPLIED = "index-record-reapplied";
    public static final String INDEX_REBUILT = "index-rebuilt";

    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "reconcile-action");
    }

    /** Decodes a payload; rejects a format version this Arca does not know. */
    public static ReconcileAction fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        ReconcileAction action = JournalPayloadJson.decode(payload, ReconcileAction.class);
        JournalPayloadJson.checkFormatVersion(action.formatVersion(), FORMAT_VERSION, journalSequence,
                "reconcile-action");
        return action;
    }
}
