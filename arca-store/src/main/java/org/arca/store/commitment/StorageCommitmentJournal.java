package org.arca.store.commitment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.store.ingest.IndexUpdater;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;

/**
 * Writes Storage Commitment requests and delivered results to the journal, and finds the
 * requests whose result has not been delivered yet, so that a restart loses none of them.
 *
 * <p>Thread-safe: the journal and the index updater are.
 */
public final class StorageCommitmentJournal {

    private final Journal journal;
    private final IndexUpdater indexUpdater;

    public StorageCommitmentJournal(Journal journal, IndexUpdater indexUpdater) {
        this.journal = journal;
        this.indexUpdater = indexUpdater;
    }

    /**
     * Appends the request and forces it to disk (group commit); returns its journal sequence.
     * Once this returns, the request is reported after any restart.
     */
    public PendingCommitment appendRequestAndForce(CommitmentRequest request) throws IOException {
        long sequence = journal.appendAndForce(JournalRecordTypes.STORAGE_COMMITMENT_REQUESTED, request.toJsonBytes());
        indexUpdater.submitWithoutIndexChange(sequence);
        return new PendingCommitment(sequence, request);
    }

    /** Appends a result that the requester acknowledged and forces it to disk; returns its journal sequence. */
    public long appendReportedAndForce(CommitmentResult result) throws IOException {
        long sequence = journal.appendAndForce(JournalRecordTypes.STORAGE_COMMITMENT_REPORTED, result.toJsonBytes());
        indexUpdater.submitWithoutIndexChange(sequence);
        return sequence;
    }

    /**
     * Reads the journal from its first retained record and returns the requests without a reported
     * result, oldest first. Retention never compacts a request without a result away: it keeps the
     * journal from the oldest one on.
     *
     * @throws IOException if the journal cannot be read or contains a payload of an unknown format version
     */
    public List<PendingCommitment> readPending() throws IOException {
        Map<Long, PendingCommitment> pending = new LinkedHashMap<>();
        try (JournalReader reader = journal.readRetained()) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.type() == JournalRecordTypes.STORAGE_COMMITMENT_REQUESTED) {
                    CommitmentRequest request = CommitmentRequest.fromJsonBytes(record.payload(), record.sequence());
                    pending.put(record.sequence(), new PendingCommitment(record.sequence(), request));
                } else if (record.type() == JournalRecordTypes.STORAGE_COMMITMENT_REPORTED) {
                    CommitmentResult result = CommitmentResult.fromJsonBytes(record.payload(), record.sequence());
                    pending.remove(result.requestSequence());
                }
            }
        }
        return new ArrayList<>(pending.values());
    }
}
