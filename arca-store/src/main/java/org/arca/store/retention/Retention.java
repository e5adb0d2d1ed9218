package org.arca.store.retention;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arca.store.blob.BlobStore;
import org.arca.store.cdp.ChangeAuthor;
import org.arca.store.cdp.ChangeException;
import org.arca.store.cdp.ChangeResult;
import org.arca.store.index.Index;
import org.arca.store.ingest.IndexUpdater;
import org.arca.store.ingest.JournalRecordApplier;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of an open data directory: legal holds, reclaiming the bytes of instances deleted
 * before the CDP window, and index checkpoints. Every change is a journal record, forced before
 * anything else happens, so the index can be rebuilt with legal holds and reclaims included.
 *
 * <p>On disk, besides the journal and the index: {@code <data>/retention/reclaiming/} (blob files
 * between their BLOB_RECLAIMED record and their removal, see {@link BlobReclaimer}) and
 * {@code <data>/checkpoints/} (see {@link Checkpoints}).
 *
 * <p>Thread-safety: safe for concurrent use; runs and hold changes take turns on this object, so
 * a hold set while a run plans cannot miss that run. While a run plans and reclaims it also holds
 * the lock of deletes, undeletes and restores, so none of them can show an instance whose blob
 * the run is reclaiming.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final BlobStore blobs;
    private final Journal journal;
    private final Index index;
    private final IndexUpdater indexUpdater;
    private final Object changeLock;
    private final Clock clock;
    private final BlobReclaimer reclaimer;
    private final Checkpoints checkpoints;
    private final JournalCompaction compaction;

    /**
     * @param changeLock the object that deletes, undeletes and restores synchronize on (the
     *     data directory's {@code ArchiveChanges})
     * @param clock the journal's clock, which decides where the CDP window starts
     */
    public Retention(Path dataDirectory, BlobStore blobs, Journal journal, Index index, IndexUpdater indexUpdater,
            Object changeLock, Clock clock) {
        this.blobs = blobs;
        this.changeLock = changeLock;
        this.journal = journal;
        this.index = index;
        this.indexUpdater = indexUpdater;
        this.clock = clock;
        this.reclaimer = new BlobReclaimer(stagingDirectoryOf(dataDirectory), blobs, journal, index, indexUpdater);
        this.checkpoints = new Checkpoints(checkpointsOf(dataDirectory), clock);
        this.compaction = new JournalCompaction(journal, index, indexUpdater, checkpoints);
    }

    public static Path stagingDirectoryOf(Path dataDirectory) {
        return dataDirectory.resolve("retention").resolve("reclaiming");
    }

    public static Path checkpointsOf(Path dataDirectory) {
        return dataDirectory.resolve("checkpoints");
    }

    /**
     * Puts a study under legal hold, or releases it, as a forced journal record. A held study's
     * blobs are never reclaimed, whatever the window. A hold may be set on a deleted study.
     *
     * @throws ChangeException NOT_FOUND for a study the index does not contain, CONFLICT when the
     *     study is already held (or, for a release, not held), INVALID for a blank user or reason
     */
    public synchronized ChangeResult setLegalHold(String studyInstanceUid, boolean hold, ChangeAuthor author)
            throws ChangeException, IOException {
        checkAuthor(author, hold);
        int instances = index.read("count the instances of Study " + studyInstanceUid,
                reader -> RetentionTables.instancesOfStudy(reader, studyInstanceUid));
        if (instances < 0) {
            throw new ChangeException(ChangeException.Reason.NOT_FOUND, "Study " + studyInstanceUid
                    + " is not in the index; check the Study Instance UID.");
        }
        Optional<LegalHold> current = legalHold(studyInstanceUid);
        if (hold && current.isPresent()) {
            throw new ChangeException(ChangeException.Reason.CONFLICT, "Study " + studyInstanceUid
                    + " is already under legal hold, set by " + current.get().user() + " at journal sequence "
                    + current.get().journalSequence() + ".");
        }
        if (!hold && current.isEmpty()) {
            throw new ChangeException(ChangeException.Reason.CONFLICT, "Study " + studyInstanceUid
                    + " is not under legal hold, so there is nothing to release.");
        }

        int type = hold ? JournalRecordTypes.LEGAL_HOLD_SET : JournalRecordTypes.LEGAL_HOLD_RELEASED;
        LegalHoldEvent event = new LegalHoldEvent(LegalHoldEvent.FORMAT_VERSION, studyInstanceUid, author.user(),
                author.reason());
        long sequence = journal.appendAndForce(type, event.toJsonBytes());
        applyToIndex(sequence);
        String summary = (hold ? "Put Study " : "Released Study ") + studyInstanceUid
                + (hold ? " under legal hold" : " from legal hold") + " (" + instances + " instances).";
        LOG.info("{} Requested by {}: {}. Journal record {}.", summary, author.user(), author.reason(), sequence);
        return new ChangeResult(sequence, instances, summary);
    }

    private static void checkAuthor(ChangeAuthor author, boolean hold) throws ChangeException {
        if (author == null || author.user() == null || author.user().isBlank()) {
            throw new ChangeException(ChangeException.Reason.INVALID, "A legal hold change needs the user who "
                    + "asks for it; give a user name.");
        }
        if (author.reason() == null || author.reason().isBlank()) {
            throw new ChangeException(ChangeException.Reason.INVALID, "A legal hold change needs a reason, such as a "
                    + "case number; give one with the " + (hold ? "hold." : "release."));
        }
    }

    private void applyToIndex(long sequence) throws IOException {
        try (JournalReader reader = journal.read(sequence)) {
            JournalRecord record = reader.next();
            indexUpdater.submitAndAwait(sequence, JournalRecordApplier.changeOf(record));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted while the index applied journal record "
                    + sequence + "; the record is durable and is replayed at the next start.");
        }
    }

    /** Returns the studies under legal hold, by Study Instance UID. */
    public List<LegalHold> legalHolds() {
        return index.read("list legal holds", RetentionTables::holds);
    }

    public Optional<LegalHold> legalHold(String studyInstanceUid) {
        return index.read("read the legal hold of Study " + studyInstanceUid,
                reader -> RetentionTables.hold(reader, studyInstanceUid));
    }

    /** Returns every reclaimed blob that no later version stored again, oldest reclaim first. */
    public List<ReclaimedBlob> reclaimedBlobs() {
        return index.read("list reclaimed blobs", RetentionTables::reclaimed);
    }

    /** Returns the reclaim of this blob (SHA-256, 64 lower-case hex digits), unless it was stored again since. */
    public Optional<ReclaimedBlob> reclaimedBlob(String blobSha256) {
        return index.read("read reclaimed blob " + blobSha256, reader -> RetentionTables.reclaimed(reader, blobSha256));
    }

    /**
     * Returns the reclaimed blobs of the study's versions, deleted ones included. A restore or
     * undelete that would show such a version must fail, because its bytes are gone.
     */
    public List<ReclaimedBlob> reclaimedBlobsOfStudy(String studyInstanceUid) {
        return index.read("list the reclaimed blobs of Study " + studyInstanceUid,
                reader -> RetentionTables.reclaimedOfStudy(reader, studyInstanceUid));
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /**
     * Runs retention once: settles the blob files staged by earlier runs, reclaims every blob that
     * nothing inside the window needs, writes a checkpoint when one is due, and removes the journal
     * segments that the newest verified checkpoint before the window contains (see
     * {@link JournalCompaction}). Older checkpoints are removed only when that checkpoint verifies.
     *
     * @param noIngestCanRun true when no ingest runs on this data directory (offline, under its
     *     lock). Then the blob files of this run are removed at once, not in the next run.
     * @param dryRun true to only list what would be reclaimed, writing and removing nothing
     */
    public synchronized RetentionReport run(RetentionPolicy policy, boolean noIngestCanRun, boolean dryRun)
            throws IOException {
        Instant windowStart = policy.windowStart(clock.instant());
        int stagedFilesRemoved = 0;
        if (!dryRun) {
            reclaimer.stageInterrupted();
            stagedFilesRemoved += reclaimer.settleStaged();
        }

        // Records appended after the scan have higher sequences than the window's start, so the plan
        // keeps what they delete. Undeletes and restores wait for the lock.
        WindowActivity activity = WindowActivity.scan(journal, windowStart, lastCheckpointBefore(windowStart));
        ReclaimPlanner.Plan plan;
        List<ReclaimCandidate> reclaimed;
        synchronized (changeLock) {
            indexUpdater.replayIfNeeded();
            plan = ReclaimPlanner.plan(index, blobs, activity);
            reclaimed = dryRun ? plan.candidates() : reclaim(plan.candidates(), policy, activity);
        }
        if (!dryRun && noIngestCanRun) {
            stagedFilesRemoved += reclaimer.settleStaged();
        }

        CheckpointManifest checkpoint = null;
        if (!dryRun && checkpoints.isDue(policy.checkpointInterval())) {
            checkpoint = checkpoints.writeAndFsync(index, journal).orElse(null);
        }
        JournalCompaction.Result compacted;
        synchronized (changeLock) {
            // A restore reads the journal after its checkpoint while it holds this lock.
            compacted = compaction.compact(windowStart, dryRun);
        }
        if (!dryRun && (compacted.baseVerified() || journal.firstSequence() == 1)) {
            // A compacted journal needs an intact checkpoint at or after its start, so a damaged
            // base keeps the older checkpoints.
            checkpoints.removeSuperseded(windowStart);
        }

        RetentionReport report = new RetentionReport(dryRun, windowStart, reclaimed, plan.keptForWindow(),
                plan.keptForLegalHold(), plan.keptForVisibleVersion(), plan.missing(), stagedFilesRemoved, checkpoint,
                compacted.compacted());
        LOG.info("Retention {}: CDP window starts at {}; {} {} blobs ({} bytes); kept {} for the window, {} for legal "
                + "hold, {} for a visible version; {} missing; removed {} staged files; checkpoint {}; journal {}.",
                dryRun ? "dry run" : "run", windowStart, dryRun ? "would reclaim" : "reclaimed", reclaimed.size(),
                report.reclaimedBytes(), plan.keptForWindow(), plan.keptForLegalHold(), plan.keptForVisibleVersion(),
                plan.missing(), stagedFilesRemoved, checkpoint == null ? "not due" : checkpoint.snapshotFileName(),
                compacted.compacted() == null ? "not compacted" : "compacted through sequence "
                        + compacted.compacted().lastRemovedSequence());
        return report;
    }

    /** Returns the sequence of the newest checkpoint whose record precedes the window start, or 0. */
    private long lastCheckpointBefore(Instant windowStart) throws IOException {
        long sequence = 0;
        for (CheckpointManifest manifest : checkpoints.list()) {
            if (manifest.journalRecordTimestampMillis() < windowStart.toEpochMilli()) {
                sequence = Math.max(sequence, manifest.journalSequence());
            }
        }
        // Compaction removed only records before the window, so the scan may start at the journal's first record.
        return Math.max(Math.min(sequence, journal.lastSequence()), journal.firstSequence() - 1);
    }

    private List<ReclaimCandidate> reclaim(List<ReclaimCandidate> candidates, RetentionPolicy policy,
            WindowActivity activity) throws IOException {
        String reason = "every version was deleted before the " + policy.cdpWindow().toDays() + "-day CDP window";
        List<ReclaimCandidate> reclaimed = new ArrayList<>();
        for (ReclaimCandidate candidate : candidates) {
            if (!stillDeletedBeforeWindow(candidate, activity)) {
                LOG.info("Blob {} is no longer reclaimed in this run: a sender stored one of its instances again "
                        + "while the run was planning.", candidate.blobSha256());
                continue;
            }
            reclaimer.reclaimAndForce(candidate, reason);
            reclaimed.add(candidate);
        }
        return reclaimed;
    }

    /**
     * Rereads the versions in the blob just before its reclaim: an ingest, which does not wait for
     * the change lock, may have shown one of its instances again since the plan. An ingest after
     * this check is caught by the staging of the file (see {@link BlobReclaimer}).
     */
    private boolean stillDeletedBeforeWindow(ReclaimCandidate candidate, WindowActivity activity) {
        List<RetentionTables.ReferenceState> states = index.read("reread the versions in blob "
                + candidate.blobSha256(), reader -> RetentionTables.references(reader, candidate.blobSha256()));
        return states.size() == candidate.references().size() && states.stream().allMatch(state ->
                state.deletedSequence() != null && state.deletedSequence() <= activity.lastSequenceBeforeWindow());
    }
}
