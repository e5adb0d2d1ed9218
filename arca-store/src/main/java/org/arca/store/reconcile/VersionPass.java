package org.arca.store.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.VerifyResult;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordApplier;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobDamageTable;
import org.arca.store.retention.Retention;
import org.arca.store.journal.JournalReader;
import org.arca.store.retention.CheckpointBases;
import org.arca.store.retention.CheckpointManifest;
import org.arca.store.retention.Checkpoints;
import org.arca.store.verify.CheckpointVersions;
import org.arca.store.verify.CheckpointVersions.StoredVersion;
import org.arca.store.journal.JournalRecord;

/**
 * Pass 1 of a reconciliation: the journal and the index's instance version rows, both in
 * sequence order, merged like two sorted files; and the blob of each INSTANCE_STORED record,
 * rehashed and parsed once. Memory holds one journal record, one index page and one parsed
 * dataset's small values.
 */
final class VersionPass {

    static final String NEEDS_INDEX_REBUILD = "needs an index rebuild from the journal: stop the node and run "
            + "'arca reconcile --repair', which rebuilds it.";

    private final Journal journal;
    private final Index index;
    private final Retention retention;
    private final BlobStore blobs;
    private final ReconcileScratch scratch;
    private final JournalView view;
    private final Quarantine quarantine;
    private final RepairActions actions;
    private final boolean repair;
    private final boolean nodeRunning;
    private final ReportBuilder report;
    /** The open damage findings by stored version and blob ({@link #findingKey}), with their journal sequences. */
    private final Map<String, Long> openFindings = new HashMap<>();

    VersionPass(Journal journal, Index index, BlobStore blobs, Retention retention, ReconcileScratch scratch,
            JournalView view, Quarantine quarantine, RepairActions actions, ReconcileOptions options,
            ReportBuilder report) {
        this.journal = journal;
        this.retention = retention;
        this.index = index;
        this.blobs = blobs;
        this.scratch = scratch;
        this.view = view;
        this.quarantine = quarantine;
        this.actions = actions;
        this.repair = options.repair();
        this.nodeRunning = options.nodeRunning();
        this.report = report;
    }

    /** Reads the journal up to {@code lastSequence} and the index rows up to the same sequence. */
    void run(long lastSequence) throws IOException, SQLException {
        for (BlobDamageTable.Finding finding : BlobDamageTable.openFindings(index)) {
            BlobDamage damage = finding.damage();
            openFindings.putIfAbsent(findingKey(damage.sopInstanceUid(), damage.version(), damage.blobSha256()),
                    finding.journalSequence());
        }
        IndexRowCursor rows = new IndexRowCursor(index, Long.MAX_VALUE);
        long first = journal.firstSequence();
        long viewFrom = first;
        if (first > 1) {
            viewFrom = compareWithCheckpoint(rows, first, lastSequence) + 1;
        }
        try (JournalReader reader = journal.read(first)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.sequence() > lastSequence) {
                    break;
                }
                report.journalRecords++;
                boolean inView = record.sequence() >= viewFrom; // the checkpoint contains the earlier ones
                if (record.type() != JournalRecordTypes.INSTANCE_STORED) {
                    if (inView) {
                        view.applyOther(record);
                    }
                    continue;
                }
                report.storedVersions++;
                InstanceRecord stored = InstanceStoredEvent.fromJsonBytes(record.payload(), record.sequence())
                        .instance();
                reportUnsupportedRowsBefore(rows, record.sequence());
                compareWithIndex(rows, record, stored);
                checkBlob(stored);
                if (inView) {
                    view.applyInstanceStored(stored);
                }
            }
        }
        reportUnsupportedRowsBefore(rows, lastSequence + 1);
        reportRowsBeyondJournal(rows);
    }

    /**
     * Compares the index rows of records that compaction removed with the newest intact checkpoint
     * that continues into the journal, the known state at its sequence, and seeds the journal view
     * with that checkpoint. The blobs it names count as referenced. Returns the checkpoint's sequence.
     *
     * @throws IOException when no intact checkpoint continues into the journal; nothing is repaired then
     */
    // TODO: the blobs of versions that only the checkpoint names are not rehashed here; arca verify
    // checks them.
    private long compareWithCheckpoint(IndexRowCursor rows, long first, long lastSequence)
            throws IOException, SQLException {
        Checkpoints checkpoints = retention.checkpoints();
        CheckpointManifest base = CheckpointBases.newestVerified(checkpoints, first, lastSequence, Long.MAX_VALUE)
                .orElseThrow(() -> new IOException("The journal starts at sequence " + first + ", but no checkpoint "
                        + "with an intact snapshot at sequence " + (first - 1) + " or later exists in "
                        + checkpoints.directory() + ", so reconciliation has no known state to start from; restore "
                        + "the checkpoints directory from a backup. Nothing was changed."));
        Path snapshot = checkpoints.directory().resolve(base.snapshotFileName());
        view.seedFromCheckpoint(snapshot);

        Map<Long, StoredVersion> known = new HashMap<>();
        for (StoredVersion version : CheckpointVersions.read(snapshot, first).versions()) {
            known.put(version.journalSequence(), version);
            scratch.addReference(version.blobSha256());
        }
        while (rows.peek() != null && rows.peek().journalSequence() < first) {
            IndexRow row = rows.next();
            report.indexRows++;
            StoredVersion version = known.remove(row.journalSequence());
            if (version == null || !row.namesSameVersion(version.sopInstanceUid(), version.version(),
                    version.blobSha256())) {
                report.remainingUntilIndexRebuild(Mismatch.of(MismatchKind.INDEX_ROW_UNSUPPORTED,
                        row.journalSequence(), row.sopInstanceUid(), row.version(), row.blobSha256(),
                        "The index has this version from compacted journal record " + row.journalSequence()
                                + ", but checkpoint " + base.snapshotFileName() + " does not.")
                        .withRepair(repair ? NEEDS_INDEX_REBUILD : null));
            }
        }
        for (StoredVersion version : known.values()) {
            report.remainingUntilIndexRebuild(Mismatch.of(MismatchKind.INDEX_ROW_MISSING, version.journalSequence(),
                    version.sopInstanceUid(), version.version(), version.blobSha256(), "Checkpoint "
                            + base.snapshotFileName() + " has this version from compacted journal record "
                            + version.journalSequence() + ", but the index has no row for it.")
                    .withRepair(repair ? NEEDS_INDEX_REBUILD : null));
        }
        return base.journalSequence();
    }

    /**
     * Rows after {@code lastSequence} belong to records a node appended during this run, which
     * the next run checks; a row beyond the journal's end has no record at all.
     */
    private void reportRowsBeyondJournal(IndexRowCursor rows) {
        long journalEnd = journal.lastSequence();
        while (rows.peek() != null && rows.peek().journalSequence() <= journalEnd) {
            rows.next();
        }
        reportUnsupportedRowsBefore(rows, Long.MAX_VALUE);
    }

    /** Reports every index row before {@code sequence}, because no INSTANCE_STORED record has its sequence. */
    private void reportUnsupportedRowsBefore(IndexRowCursor rows, long sequence) {
        while (rows.peek() != null && rows.peek().journalSequence() < sequence) {
            IndexRow row = rows.next();
            report.indexRows++;
            report.remainingUntilIndexRebuild(Mismatch.of(MismatchKind.INDEX_ROW_UNSUPPORTED,
                    row.journalSequence(), row.sopInstanceUid(), row.version(), row.blobSha256(),
                    "The index has this version, but no INSTANCE_STORED journal record has sequence "
                            + row.journalSequence() + ".").withRepair(repair ? NEEDS_INDEX_REBUILD : null));
        }
    }

    private void compareWithIndex(IndexRowCursor rows, JournalRecord record, InstanceRecord stored)
            throws IOException {
        IndexRow row = rows.peek();
        if (row == null || row.journalSequence() != record.sequence()) {
            reportMissingRow(record, stored);
            return;
        }
        rows.next();
        report.indexRows++;
        if (!row.namesSameVersion(stored.sopInstanceUid(), stored.version(), stored.blobSha256())) {
            report.remainingUntilIndexRebuild(Mismatch.of(MismatchKind.INDEX_ROW_UNSUPPORTED,
                    row.journalSequence(), row.sopInstanceUid(), row.version(), row.blobSha256(),
                    "The index row has this sequence, but the journal record stores SOP Instance "
                            + stored.sopInstanceUid() + " version " + stored.version() + " in blob "
                            + stored.blobSha256() + ".").withRepair(repair ? NEEDS_INDEX_REBUILD : null));
            return;
        }
        List<String> differences = AttributeComparison.differences(AttributeComparison.instanceLevel(stored),
                "journal", AttributeComparison.instanceLevel(row), "index");
        if (!differences.isEmpty()) {
            report.remainingUntilIndexRebuild(mismatchOf(MismatchKind.ATTRIBUTE_MISMATCH, stored,
                    "The index differs from the journal record: " + String.join("; ", differences) + ".")
                    .withRepair(repair ? NEEDS_INDEX_REBUILD : null));
        }
    }

    private void reportMissingRow(JournalRecord record, InstanceRecord stored) throws IOException {
        if (nodeRunning && record.sequence() > index.lastAppliedJournalSequence()) {
            // The node's index updater has not applied this record yet; it will.
            return;
        }
        if (indexHoldsSameVersionFromAnotherRecord(stored)) {
            return;
        }
        Mismatch missing = mismatchOf(MismatchKind.INDEX_ROW_MISSING, stored,
                "The journal stores this version, but the index has no row for it.");
        if (!repair) {
            report.remaining(missing);
            return;
        }
        try {
            JournalRecordApplier.changeOf(record).applyTo(index);
        } catch (RuntimeException e) {
            report.remainingUntilIndexRebuild(missing.withRepair("re-applying the journal record failed ("
                    + e.getMessage() + "); " + NEEDS_INDEX_REBUILD));
            return;
        }
        long sequence = actions.journalAndForce(ReconcileAction.INDEX_RECORD_REAPPLIED, missing,
                "The index had no row for this journal record.");
        report.repaired(missing.withRepair("re-applied the journal record to the index (journal record " + sequence
                + ")."));
    }

    /**
     * Returns true when the index contains this version with the same blob under another record's
     * sequence, which the index's applier treats as already applied.
     */
    private boolean indexHoldsSameVersionFromAnotherRecord(InstanceRecord stored) {
        return index.versions(stored.sopInstanceUid()).stream().anyMatch(
                v -> v.version() == stored.version() && v.blobSha256().equals(stored.blobSha256()));
    }

    /** Rehashes and parses the blob the first time a record references it. */
    private void checkBlob(InstanceRecord stored) throws IOException, SQLException {
        if (!scratch.addReference(stored.blobSha256())) {
            return;
        }
        BlobId id = BlobId.of(stored.blobSha256());
        StoredObject object = StoredObject.read(id, blobs.pathOf(id));
        VerifyResult verification = object.verification();
        switch (verification.status()) {
            case MISSING -> handleMissingBlob(stored, id);
            case CORRUPT -> reportDamage(stored, MismatchKind.BLOB_CORRUPT, "The bytes of " + blobs.pathOf(id)
                    + " hash to " + verification.actual().hex() + ".", "sha256 " + verification.actual().hex());
            case OK -> {
                compareWithObject(stored, object);
                closeStaleFinding(stored, "the blob file hashes to its SHA-256 again");
            }
        }
    }

    /**
     * Closes the open damage finding of a stored version whose blob is intact now, with a BLOB_REPAIRED
     * record: an operator may have put the file back from a backup, or remounted a volume that was missing.
     * A report-only run lists the finding.
     */
    private void closeStaleFinding(InstanceRecord stored, String reason) throws IOException {
        Long findingSequence = openFindings.remove(findingKey(stored.sopInstanceUid(), stored.version(),
                stored.blobSha256()));
        if (findingSequence == null) {
            return;
        }
        Mismatch stale = mismatchOf(MismatchKind.DAMAGE_FINDING_STALE, stored, "The damage finding in journal record "
                + findingSequence + " is open, but " + reason + ".");
        if (!repair) {
            report.remaining(stale);
            return;
        }
        long sequence = actions.journalRepairAndForce(stored, "reconcile: " + reason);
        report.repaired(stale.withRepair("closed the finding with a BLOB_REPAIRED record (journal record " + sequence
                + ")."));
    }

    private static String findingKey(String sopInstanceUid, int version, String blobSha256) {
        return sopInstanceUid + '\u0000' + version + '\u0000' + blobSha256;
    }

    private void handleMissingBlob(InstanceRecord stored, BlobId id) throws IOException {
        if (retention.reclaimedBlob(id.hex()).isPresent()) {
            // Retention journaled BLOB_RECLAIMED before it removed the file: expected, not damage.
            return;
        }
        Mismatch missing = mismatchOf(MismatchKind.BLOB_MISSING, stored, "The blob file " + blobs.pathOf(id)
                + " does not exist.");
        if (repair && quarantine.contains(id) && quarantine.restoreAndFsync(id)) {
            long sequence = actions.journalAndForce(ReconcileAction.BLOB_RESTORED_FROM_QUARANTINE, missing,
                    "A journal record references the quarantined blob.");
            report.repaired(missing.withRepair("moved back from quarantine (journal record " + sequence + ")."));
            if (StoredObject.read(id, blobs.pathOf(id)).verification().isOk()) {
                closeStaleFinding(stored, "the blob is back from quarantine and hashes to its SHA-256");
            }
            return;
        }
        reportDamage(stored, MismatchKind.BLOB_MISSING, missing.detail(), "missing");
    }

    /** A missing or corrupt blob cannot be rebuilt from the journal; a repair records it as blob damage. */
    private void reportDamage(InstanceRecord stored, MismatchKind kind, String detail, String problem)
            throws IOException {
        Mismatch damage = mismatchOf(kind, stored, detail);
        if (!repair) {
            report.remaining(damage);
            return;
        }
        long sequence = actions.journalDamageAndForce(stored, problem);
        report.remaining(damage.withRepair("needs a verified copy from a replica or backup; recorded as blob "
                + "damage in journal record " + sequence + "."));
    }

    private void compareWithObject(InstanceRecord stored, StoredObject object) {
        if (object.parseError() != null) {
            report.remaining(mismatchOf(MismatchKind.ATTRIBUTE_MISMATCH, stored,
                    "The stored object matches its SHA-256 but does not parse: " + object.parseError() + "."));
            return;
        }
        Map<String, String> objectAttributes = new HashMap<>(object.attributes());
        objectAttributes.put("SizeBytes", Long.toString(object.verification().sizeBytes()));
        List<String> differences = AttributeComparison.differences(AttributeComparison.ofRecord(stored), "journal",
                objectAttributes, "stored object");
        if (!differences.isEmpty()) {
            report.remaining(mismatchOf(MismatchKind.ATTRIBUTE_MISMATCH, stored,
                    "The journal record differs from the stored object: " + String.join("; ", differences)
                            + ". Neither is changed; the journal stays the truth."));
        }
    }

    private static Mismatch mismatchOf(MismatchKind kind, InstanceRecord stored, String detail) {
        return Mismatch.of(kind, stored.journalSequence(), stored.sopInstanceUid(), stored.version(),
                stored.blobSha256(), detail);
    }
}
