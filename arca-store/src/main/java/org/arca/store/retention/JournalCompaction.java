package org.arca.store.retention;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.arca.store.commitment.PendingCommitment;
import org.arca.store.commitment.StorageCommitmentJournal;
import org.arca.store.index.Index;
import org.arca.store.ingest.IndexUpdater;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalAnchor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the journal segments that the newest verified checkpoint before the CDP window contains.
 * Records older than the window can no longer be undone, so the checkpoint replaces them for every
 * reader (rebuild, restore, history, reconcile, verify).
 *
 * <p>What stays: every record after the checkpoint; every record from the first stored version of
 * a study under legal hold on, so a held study keeps its whole journal history; every record from
 * the oldest Storage Commitment request without a reported result on, so that the pending scan at
 * start still finds it. Only whole segments are removed, never the active one, so the retained
 * journal usually starts some records before the checkpoint's sequence + 1.
 *
 * <p>Not thread-safe; {@link Retention#run} calls it under its own lock.
 */
final class JournalCompaction {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCompaction.class);

    private final Journal journal;
    private final Index index;
    private final IndexUpdater indexUpdater;
    private final Checkpoints checkpoints;
    private final StorageCommitmentJournal commitments;

    JournalCompaction(Journal journal, Index index, IndexUpdater indexUpdater, Checkpoints checkpoints) {
        this.journal = journal;
        this.index = index;
        this.indexUpdater = indexUpdater;
        this.checkpoints = checkpoints;
        this.commitments = new StorageCommitmentJournal(journal, indexUpdater);
    }

    /** The result of one compaction: the base checkpoint (null if none qualified) and the record, if any. */
    record Result(CheckpointManifest base, boolean baseVerified, JournalCompactedEvent compacted) {
    }

    /**
     * Removes the segments that the newest checkpoint before {@code windowStart} contains, after
     * checking its snapshot, and journals the removal first. A dry run only reports the removal.
     */
    Result compact(Instant windowStart, boolean dryRun) throws IOException {
        CheckpointManifest base = newestBefore(windowStart);
        if (base == null) {
            return new Result(null, false, null);
        }
        try {
            checkpoints.verify(base);
        } catch (IOException e) {
            LOG.error("Not compacting the journal {}: {}", journal.directory(), e.getMessage());
            return new Result(base, false, null);
        }

        long through = Math.min(base.journalSequence(), keptFrom() - 1);
        Optional<Journal.RemovedRange> removable = journal.removableThrough(through);
        if (removable.isEmpty()) {
            return new Result(base, true, null);
        }
        Journal.RemovedRange range = removable.get();
        JournalCompactedEvent event = new JournalCompactedEvent(JournalCompactedEvent.FORMAT_VERSION,
                range.firstSequence(), range.lastSequence(), range.segmentCount(), base.journalSequence(),
                base.snapshotFileName(), base.journalRecordSha256());
        if (dryRun) {
            return new Result(base, true, event);
        }

        long sequence = journal.appendAndForce(JournalRecordTypes.JOURNAL_COMPACTED, event.toJsonBytes());
        indexUpdater.submitWithoutIndexChange(sequence);
        JournalAnchor anchor = JournalAnchor.ofHex(base.journalSequence(), base.journalRecordSha256());
        Optional<Journal.RemovedRange> removed = journal.removeSegmentsThroughAndFsync(range.lastSequence(), anchor);
        LOG.info("Compacted the journal {}: removed sequences {} to {} ({} segments), which checkpoint {} at sequence {}"
                + " contains; journal record {}.", journal.directory(), range.firstSequence(), range.lastSequence(),
                range.segmentCount(), base.snapshotFileName(), base.journalSequence(), sequence);
        return new Result(base, true, removed.isPresent() ? event : null);
    }

    /** Returns the newest checkpoint whose record precedes the window start and the journal's end, or null. */
    private CheckpointManifest newestBefore(Instant windowStart) throws IOException {
        CheckpointManifest newest = null;
        for (CheckpointManifest manifest : checkpoints.list()) {
            if (manifest.journalRecordTimestampMillis() < windowStart.toEpochMilli()
                    && manifest.journalSequence() <= journal.lastSequence()) {
                newest = manifest;
            }
        }
        return newest;
    }

    /**
     * Returns the lowest sequence that a legal hold or a pending Storage Commitment needs kept, or
     * {@code Long.MAX_VALUE} when none does.
     */
    // Damage findings (BLOB_DAMAGE_DETECTED) before the checkpoint are removed with their segments, so
    // RepairJournal.readDamage no longer lists them. The index's blob_damage table keeps them, and the
    // checkpoint's snapshot contains that table.
    private long keptFrom() throws IOException {
        indexUpdater.replayIfNeeded();
        long held = index.read("find the first journal record of the studies under legal hold",
                reader -> firstHeldSequence(reader));
        List<PendingCommitment> pending = commitments.readPending();
        long oldestPending = pending.isEmpty() ? Long.MAX_VALUE : pending.get(0).requestSequence();
        if (held != Long.MAX_VALUE || oldestPending != Long.MAX_VALUE) {
            LOG.info("Journal compaction keeps the records from sequence {} on for legal holds and from {} on for "
                    + "pending Storage Commitment requests.", held == Long.MAX_VALUE ? "(none)" : held,
                    oldestPending == Long.MAX_VALUE ? "(none)" : oldestPending);
        }
        return Math.min(held, oldestPending);
    }

    private static long firstHeldSequence(java.sql.Connection reader) throws SQLException {
        String sql = "SELECT MIN(sequence) FROM ("
                + " SELECT MIN(v.journal_sequence) AS sequence FROM instance_versions v"
                + " JOIN series s ON s.series_key = v.series_key JOIN studies st ON st.study_key = s.study_key"
                + " JOIN legal_holds h ON h.study_instance_uid = st.study_instance_uid"
                + " UNION ALL SELECT MIN(journal_sequence) FROM legal_holds)";
        try (Statement statement = reader.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            long sequence = row.next() ? row.getLong(1) : 0;
            return row.wasNull() || sequence == 0 ? Long.MAX_VALUE : sequence;
        }
    }
}
