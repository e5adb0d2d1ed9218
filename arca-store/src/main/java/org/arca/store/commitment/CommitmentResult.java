package org.arca.store.commitment;

import org.arca.store.JournalPayloadJson;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.util.List;
import org.arca.store.ingest.JournalRecordTypes;

/**
 * The outcome of one Storage Commitment request, and the payload of a
 * {@link JournalRecordTypes#STORAGE_COMMITMENT_REPORTED} journal record once the requester
 * has received it.
 *
 * <p>Encoded as UTF-8 JSON with a {@code formatVersion} field. Version history:
 * 1 - first version.
 *
 * @param formatVersion the payload format version, {@link #FORMAT_VERSION} when written
 * @param requestSequence the journal sequence of the request record this result answers
 * @param transactionUid the Transaction UID of the request
 * @param requesterAeTitle the AE title of the requester
 * @param committed the instances Arca commits to keep, in request order
 * @param failed the instances Arca does not commit to, with their Failure Reason, in request order
 */
public record CommitmentResult(int formatVersion, long requestSequence, String transactionUid,
        String requesterAeTitle, List<CommitmentReference> committed, List<CommitmentFailure> failed) {

    public static final int FORMAT_VERSION = 1;

    /** The Event Type ID of an N-EVENT-REPORT whose every instance is committed. */
    public static final int EVENT_TYPE_ALL_SUCCESS = 1;

    /** The Event Type ID of an N-EVENT-REPORT with at least one failed instance. */
    public static final int EVENT_TYPE_FAILURES_EXIST = 2;

    public CommitmentResult {
        committed = List.copyOf(committed);
        failed = List.copyOf(failed);
    }

    public static CommitmentResult of(PendingCommitment pending, List<CommitmentReference> committed,
            List<CommitmentFailure> failed) {
        return new CommitmentResult(FORMAT_VERSION, pending.requestSequence(), pending.request().transactionUid(),
                pending.request().requesterAeTitle(), committed, failed);
    }

    /** Returns the Event Type ID (1 or 2) of the N-EVENT-REPORT that carries this result. */
    @JsonIgnore
    public int eventTypeId() {
        return failed.isEmpty() ? EVENT_TYPE_ALL_SUCCESS : EVENT_TYPE_FAILURES_EXIST;
    }

    @JsonIgnore
    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "Storage Commitment result");
    }

    /**
     * Decodes a payload.
     *
     * @throws IOException if the payload is not valid JSON or has an unknown format version
     */
    public static CommitmentResult fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        CommitmentResult result = JournalPayloadJson.decode(payload, CommitmentResult.class);
        JournalPayloadJson.checkFormatVersion(result.formatVersion(), FORMAT_VERSION, journalSequence,
                "Storage Commitment result");
        return result;
    }
}
