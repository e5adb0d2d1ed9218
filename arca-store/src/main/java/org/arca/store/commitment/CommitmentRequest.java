package org.arca.store.commitment;

import org.arca.store.JournalPayloadJson;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.util.List;
import org.arca.store.ingest.JournalRecordTypes;

/**
 * The payload of a {@link JournalRecordTypes#STORAGE_COMMITMENT_REQUESTED} journal record: a
 * Storage Commitment Push Model N-ACTION request as Arca accepted it.
 *
 * <p>Encoded as UTF-8 JSON with a {@code formatVersion} field. Version history:
 * 1 - first version.
 *
 * @param formatVersion the payload format version, {@link #FORMAT_VERSION} when written
 * @param transactionUid the Transaction UID (0008,1195) the requester chose
 * @param requesterAeTitle the calling AE title of the association that carried the request,
 *     without padding; a report on a new association goes to this AE
 * @param references the Referenced SOP Sequence items, in request order
 */
public record CommitmentRequest(int formatVersion, String transactionUid, String requesterAeTitle,
        List<CommitmentReference> references) {

    public static final int FORMAT_VERSION = 1;

    public CommitmentRequest {
        references = List.copyOf(references);
    }

    public static CommitmentRequest of(String transactionUid, String requesterAeTitle,
            List<CommitmentReference> references) {
        return new CommitmentRequest(FORMAT_VERSION, transactionUid, requesterAeTitle, references);
    }

    @JsonIgnore
    public byte[] toJsonBytes() {
        return JournalPayloadJson.encode(this, "Storage Commitment request");
    }

    /**
     * Decodes a payload.
     *
     * @throws IOException if the payload is not valid JSON or has an unknown format version
     */
    public static CommitmentRequest fromJsonBytes(byte[] payload, long journalSequence) throws IOException {
        CommitmentRequest request = JournalPayloadJson.decode(payload, CommitmentRequest.class);
        JournalPayloadJson.checkFormatVersion(request.formatVersion(), FORMAT_VERSION, journalSequence,
                "Storage Commitment request");
        return request;
    }
}
