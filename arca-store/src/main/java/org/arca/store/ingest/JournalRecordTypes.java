package org.arca.store.ingest;

/** The journal record types written by the archive; the journal itself treats them as opaque codes. */
public final class JournalRecordTypes {

    /** A SOP Instance version was stored; the payload is an {@link InstanceStoredEvent} in JSON. */
    public static final int INSTANCE_STORED = 1;

    /**
     * A Storage Commitment request was accepted; the payload is a
     * {@code org.arca.store.commitment.CommitmentRequest} in JSON.
     */
    public static final int STORAGE_COMMITMENT_REQUESTED = 2;

    /**
     * The result of a Storage Commitment request was delivered to the requester; the payload is a
     * {@code org.arca.store.commitment.CommitmentResult} in JSON.
     */
    public static final int STORAGE_COMMITMENT_REPORTED = 3;

    /**
     * A retrieve, a reconciliation or the staging area found a blob missing or not matching its SHA-256; the
     * payload is a {@code BlobDamage} in JSON.
     */
    public static final int BLOB_DAMAGE_DETECTED = 4;

    /** An administrator deleted a study, series or instance; the payload is a {@code DeletedEvent} in JSON. */
    public static final int DELETED = 5;

    /**
     * Deleted instances became visible again, by an administrator or because a sender stored the same
     * bytes again; the payload is an {@code UndeletedEvent} in JSON.
     */
    public static final int UNDELETED = 6;

    /** An administrator set study or patient attributes; the payload is a {@code StudyUpdatedEvent} in JSON. */
    public static final int STUDY_UPDATED = 7;

    /**
     * An administrator restored a study or the archive to a point in time; the payload is a
     * {@code RestoredEvent} in JSON with every effect listed.
     */
    public static final int RESTORED = 8;

    /**
     * A reconciliation repaired something: it quarantined, restored or deleted a blob, re-applied a
     * record to the index or rebuilt the index. The payload is an
     * {@code org.arca.store.reconcile.ReconcileAction} in JSON. Types 5 to 19 are left to the
     * point-in-time change records.
     */
    public static final int RECONCILE_ACTION = 20;

    /**
     * A blob that the store had lost (missing, damaged or reclaimed) was written again from identical
     * bytes that a sender stored; the payload is an {@code org.arca.store.repair.BlobRepaired} in JSON.
     * It marks the blob's open damage findings as repaired.
     */
    public static final int BLOB_REPAIRED = 21;

    /**
     * A study was put under legal hold; the payload is a
     * {@code org.arca.store.retention.LegalHoldEvent} in JSON.
     */
    public static final int LEGAL_HOLD_SET = 30;

    /**
     * A study was released from legal hold; the payload is a
     * {@code org.arca.store.retention.LegalHoldEvent} in JSON.
     */
    public static final int LEGAL_HOLD_RELEASED = 31;

    /**
     * Retention removed a blob whose instances were all deleted before the CDP window; the payload
     * is a {@code org.arca.store.retention.BlobReclaimedEvent} in JSON. It is forced before the blob
     * file is removed, so a blob named here and missing from the blob store is not damage.
     */
    public static final int BLOB_RECLAIMED = 32;

    /**
     * Retention removed journal segments whose records a checkpoint older than the CDP window
     * contains; the payload is a {@code org.arca.store.retention.JournalCompactedEvent} in JSON
     * naming the removed sequences and the checkpoint. It changes nothing in the index.
     */
    public static final int JOURNAL_COMPACTED = 33;

    /** Returns true for the record types of retention: legal holds, reclaimed blobs and compactions. */
    public static boolean isRetentionRecord(int type) {
        return type == LEGAL_HOLD_SET || type == LEGAL_HOLD_RELEASED || type == BLOB_RECLAIMED
                || type == JOURNAL_COMPACTED;
    }

    /** Returns true for the record types that change nothing in the index. */
    public static boolean leavesIndexUnchanged(int type) {
        return type == STORAGE_COMMITMENT_REQUESTED || type == STORAGE_COMMITMENT_REPORTED
                || type == RECONCILE_ACTION || type == JOURNAL_COMPACTED;
    }

    private JournalRecordTypes() {
    }
}
