package org.arca.store.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pass 3 of a reconciliation: every blob file against the set of referenced blobs, and with
 * repair, the quarantine of orphans and the deletion of quarantined orphans past their grace
 * period.
 *
 * <p>A node may journal a record for a blob while this pass runs. So before it quarantines
 * anything and again after, it adds the records appended since pass 1 to the referenced set,
 * and a quarantined blob that a record references is moved back. No blob that a journal record
 * references is deleted: deletion checks the full referenced set.
 */
final class OrphanPass {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanPass.class);

    private final Journal journal;
    private final BlobStore blobs;
    private final ReconcileScratch scratch;
    private final Quarantine quarantine;
    private final RepairActions actions;
    private final ReconcileOptions options;
    private final Clock clock;
    private final ReportBuilder report;
    private long referencedThroughSequence;

    OrphanPass(Journal journal, BlobStore blobs, ReconcileScratch scratch, Quarantine quarantine,
            RepairActions actions, ReconcileOptions options, Clock clock, ReportBuilder report) {
        this.journal = journal;
        this.blobs = blobs;
        this.scratch = scratch;
        this.quarantine = quarantine;
        this.actions = actions;
        this.options = options;
        this.clock = clock;
        this.report = report;
    }

    /**
     * Lists every blob and reports those no record up to the journal's end references.
     *
     * @param referencedThroughSequence the last journal sequence whose blobs are in the referenced set
     * @param startedAtMillis when the run started; younger blobs may belong to an ingest in progress
     */
    void run(long referencedThroughSequence, long startedAtMillis) throws IOException, SQLException {
        this.referencedThroughSequence = referencedThroughSequence;
        addRecordsAppendedSince();
        long youngestOrphanMillis = startedAtMillis - options.orphanMinAge().toMillis();
        try (Stream<BlobId> all = blobs.list()) {
            Iterator<BlobId> ids = all.iterator();
            while (ids.hasNext()) {
                BlobId id = ids.next();
                report.blobs++;
                if (!scratch.isReferenced(id.hex()) && isOlderThan(id, youngestOrphanMillis)) {
                    handleOrphan(id);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (options.repair()) {
            addRecordsAppendedSince();
            expireQuarantinedOrphans();
        }
    }

    private boolean isOlderThan(BlobId id, long millis) throws IOException {
        if (options.orphanMinAge().isZero()) {
            return true;
        }
        try {
            return Files.getLastModifiedTime(blobs.pathOf(id)).toMillis() <= millis;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private void handleOrphan(BlobId id) throws IOException {
        Mismatch orphan = Mismatch.of(MismatchKind.BLOB_ORPHANED, 0, null, 0, id.hex(), "No journal record "
                + "references " + blobs.pathOf(id) + ". Usually an ingest stopped before its journal record and "
                + "never acknowledged it; but if this journal was restored from an older backup, it may be an "
                + "acknowledged instance: check its quarantine manifest before the grace period ends.");
        if (!options.repair()) {
            report.remaining(orphan);
            return;
        }
        quarantine.moveInAndFsync(id, "no journal record references it (reconcile)");
        long sequence = actions.journalAndForce(ReconcileAction.ORPHAN_QUARANTINED, orphan,
                "No journal record references the blob.");
        report.repaired(orphan.withRepair("moved to " + quarantine.blobPath(id) + " (journal record " + sequence
                + "); deleted after " + options.quarantineGrace().toDays() + " days unless a record references it."));
    }

    /** Adds the blobs of records appended since the last call; restores any that are in quarantine. */
    private void addRecordsAppendedSince() throws IOException, SQLException {
        try (JournalReader reader = journal.read(referencedThroughSequence + 1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                referencedThroughSequence = record.sequence();
                if (record.type() != JournalRecordTypes.INSTANCE_STORED) {
                    continue;
                }
                InstanceRecord stored = InstanceStoredEvent.fromJsonBytes(record.payload(), record.sequence())
                        .instance();
                scratch.addReference(stored.blobSha256());
                restoreIfQuarantined(stored);
            }
        }
    }

    private void restoreIfQuarantined(InstanceRecord stored) throws IOException {
        BlobId id = BlobId.of(stored.blobSha256());
        if (!options.repair() || !quarantine.contains(id) || blobs.exists(id)) {
            return;
        }
        if (quarantine.restoreAndFsync(id)) {
            Mismatch restored = Mismatch.of(MismatchKind.BLOB_MISSING, stored.journalSequence(),
                    stored.sopInstanceUid(), stored.version(), stored.blobSha256(),
                    "Journal record " + stored.journalSequence() + " references the quarantined blob.");
            actions.journalAndForce(ReconcileAction.BLOB_RESTORED_FROM_QUARANTINE, restored, restored.detail());
        }
    }

    /** Deletes quarantined orphans past the grace period that no record references; restores referenced ones. */
    private void expireQuarantinedOrphans() throws IOException {
        Duration grace = options.quarantineGrace();
        long now = clock.millis();
        quarantine.forEachManifest((manifest, blobPresent) -> {
            String sha256 = manifest.blobSha256();
            if (!blobPresent) {
                LOG.info("Removed the quarantine manifest of blob {}, whose file is gone.", sha256);
                quarantine.deleteAndFsync(sha256);
                return;
            }
            if (isReferenced(sha256)) {
                LOG.warn("Quarantined blob {} is referenced by a journal record; it is kept in quarantine until "
                        + "pass 1 of the next run restores it.", sha256);
                return;
            }
            if (now - manifest.quarantinedAtMillis() < grace.toMillis()) {
                return;
            }
            quarantine.deleteAndFsync(sha256);
            Mismatch deleted = Mismatch.of(MismatchKind.BLOB_ORPHANED, 0, null, 0, sha256,
                    "Quarantined since " + java.time.Instant.ofEpochMilli(manifest.quarantinedAtMillis()) + ".");
            long sequence = actions.journalAndForce(ReconcileAction.QUARANTINED_ORPHAN_DELETED, deleted,
                    "The grace period of " + grace.toDays() + " days has passed and no journal record references it.");
            LOG.warn("Deleted quarantined orphan blob {} ({} bytes), quarantined at {}, after the grace period of {} "
                    + "(journal record {}).", sha256, manifest.sizeBytes(),
                    java.time.Instant.ofEpochMilli(manifest.quarantinedAtMillis()), grace, sequence);
        });
    }

    private boolean isReferenced(String sha256) throws IOException {
        try {
            return scratch.isReferenced(sha256);
        } catch (SQLException e) {
            throw new IOException("Reading the reconcile scratch file failed: " + e.getMessage(), e);
        }
    }
}
