package org.arca.store.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.VerifyResult;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.index.InstanceRecord;
import org.arca.store.verify.CheckpointVersions.StoredVersion;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalCorruptionException;
import org.arca.store.journal.JournalProblem;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.arca.store.journal.JournalVerification;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobRepaired;
import org.arca.store.retention.BlobReclaimedEvent;
import org.arca.store.retention.CheckpointBases;
import org.arca.store.retention.CheckpointManifest;
import org.arca.store.retention.Checkpoints;
import org.arca.store.retention.Retention;

/**
 * Proves what a data directory holds: rereads every journal record (CRC32C, sequence, hash
 * chain) and every blob (SHA-256 over its bytes, size), and checks that every stored version
 * the journal names has its blob. Reads only: it runs beside a node that writes.
 *
 * <p>Blobs that no journal record names were never acknowledged (an ingest stopped between
 * publishing the blob and forcing its record); they are counted, not reported as damage.
 */
public final class ArchiveVerifier {

    private final Path dataDirectory;
    private final VerifyListener listener;
    /** The sequence of the last BLOB_RECLAIMED record of each blob, filled by the journal pass. */
    private final Map<BlobId, Long> reclaimedAtSequence = new HashMap<>();
    /** The first open damage finding of each blob in the retained journal, by its journal sequence. */
    private final Map<BlobId, Long> openFindingSequence = new HashMap<>();

    public ArchiveVerifier(Path dataDirectory, VerifyListener listener) {
        this.dataDirectory = dataDirectory;
        this.listener = listener;
    }

    /** Runs every check and returns the counts; each problem has been passed to the listener. */
    public VerifyReport verify() throws IOException {
        VerifyReport.Builder report = new VerifyReport.Builder();

        // 1. The journal: every record's CRC, sequence and hash chain, anchored in a checkpoint after compaction.
        Path journalDirectory = DataDirectory.journalOf(dataDirectory);
        JournalVerification journal = Journal.verifyDirectory(journalDirectory,
                CheckpointBases.anchorFor(dataDirectory).orElse(null));
        report.journal(journal.segmentCount(), journal.recordCount(), journal.lastSequence());
        for (JournalProblem problem : journal.problems()) {
            report.problem();
            listener.problem("Journal defect in " + problem.segment() + " at offset " + problem.offset()
                    + " (sequence " + problem.expectedSequence() + "): " + problem.defect() + ", " + problem.detail());
        }

        // 2. The stored versions the journal names (and, after compaction, the checkpoint), and the blob of each.
        Map<BlobId, List<StoredVersion>> versionsByBlob = new HashMap<>();
        long firstSequence = Journal.firstSegmentSequence(journalDirectory);
        if (firstSequence > 1) {
            addCheckpointVersions(firstSequence, journal.lastSequence(), versionsByBlob, report);
        }
        storedVersions(firstSequence, versionsByBlob, report);
        BlobStore blobs = BlobStore.openReadOnly(DataDirectory.blobsOf(dataDirectory));
        for (Map.Entry<BlobId, List<StoredVersion>> entry : versionsByBlob.entrySet()) {
            checkBlob(blobs, entry.getKey(), entry.getValue(), report);
        }

        // 3. Every other blob file: its name must still be the SHA-256 of its bytes.
        checkUnreferencedBlobs(blobs, versionsByBlob.keySet(), report);
        return report.build();
    }

    /**
     * Checks every checkpoint snapshot against its manifest, then adds the versions and reclaims of
     * the removed journal records from the newest intact checkpoint that continues into the journal.
     */
    private void addCheckpointVersions(long firstSequence, long lastSequence,
            Map<BlobId, List<StoredVersion>> versionsByBlob, VerifyReport.Builder report) throws IOException {
        Checkpoints checkpoints = new Checkpoints(Retention.checkpointsOf(dataDirectory), Clock.systemUTC());
        for (CheckpointManifest manifest : checkpoints.list()) {
            try {
                checkpoints.verify(manifest);
            } catch (IOException e) {
                report.problem();
                listener.problem("Checkpoint damaged: " + e.getMessage());
            }
        }
        Optional<CheckpointManifest> base = CheckpointBases.newestVerified(dataDirectory, firstSequence, lastSequence,
                Long.MAX_VALUE);
        if (base.isEmpty()) {
            report.problem();
            listener.problem("The journal starts at sequence " + firstSequence + ", but no checkpoint with an intact"
                    + " snapshot at sequence " + (firstSequence - 1) + " or later exists in "
                    + checkpoints.directory() + ", so the versions of the removed records cannot be checked and the"
                    + " index cannot be rebuilt; restore the checkpoints directory from a backup.");
            return;
        }
        CheckpointVersions known = CheckpointVersions.read(
                checkpoints.directory().resolve(base.get().snapshotFileName()), firstSequence);
        for (StoredVersion version : known.versions()) {
            versionsByBlob.computeIfAbsent(BlobId.of(version.blobSha256()), id -> new ArrayList<>()).add(version);
            report.storedVersion();
        }
        known.reclaimedAtSequence().forEach((sha256, sequence) -> reclaimedAtSequence.put(BlobId.of(sha256), sequence));
        listener.progress("The journal starts at sequence " + firstSequence + "; checked " + known.versions().size()
                + " stored versions of the removed records from checkpoint " + base.get().snapshotFileName() + ".");
    }

    private void storedVersions(long firstSequence, Map<BlobId, List<StoredVersion>> versionsByBlob,
            VerifyReport.Builder report) throws IOException {
        try (JournalReader reader = Journal.readDirectory(DataDirectory.journalOf(dataDirectory), firstSequence)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.type() == JournalRecordTypes.BLOB_RECLAIMED) {
                    String sha256 = BlobReclaimedEvent.fromJsonBytes(record.payload(), record.sequence()).blobSha256();
                    reclaimedAtSequence.put(BlobId.of(sha256), record.sequence());
                }
                trackDamageFindings(record);
                if (record.type() != JournalRecordTypes.INSTANCE_STORED) {
                    continue;
                }
                InstanceRecord instance = InstanceStoredEvent.fromJsonBytes(record.payload(), record.sequence())
                        .instance();
                versionsByBlob.computeIfAbsent(BlobId.of(instance.blobSha256()), id -> new ArrayList<>())
                        .add(new StoredVersion(instance.sopInstanceUid(), instance.version(),
                                instance.journalSequence(), instance.blobSha256(), instance.sizeBytes()));
                report.storedVersion();
            }
        } catch (JournalCorruptionException e) {
            // Already reported by the journal check; the records before the defect are still verified.
            listener.progress("Stopped reading stored versions at the journal defect: " + e.getMessage());
        }
    }

    /**
     * Keeps the open damage findings of the retained journal: a BLOB_REPAIRED record closes every
     * finding of its blob, as it does in the index.
     */
    private void trackDamageFindings(JournalRecord record) throws IOException {
        if (record.type() == JournalRecordTypes.BLOB_DAMAGE_DETECTED) {
            String sha256 = BlobDamage.fromJsonBytes(record.payload(), record.sequence()).blobSha256();
            openFindingSequence.putIfAbsent(BlobId.of(sha256), record.sequence());
        } else if (record.type() == JournalRecordTypes.BLOB_REPAIRED) {
            openFindingSequence.remove(BlobId.of(BlobRepaired.fromJsonBytes(record.payload(), record.sequence())
                    .blobSha256()));
        }
    }

    private void checkBlob(BlobStore blobs, BlobId id, List<StoredVersion> versions, VerifyReport.Builder report)
            throws IOException {
        VerifyResult result = blobs.verify(id);
        if (result.status() == VerifyResult.Status.MISSING && isReclaimed(id, versions)) {
            listener.progress("Blob " + id.hex() + " was reclaimed by retention (journal record "
                    + reclaimedAtSequence.get(id) + ") after every version in it was deleted; not damage.");
            return;
        }
        if (result.status() != VerifyResult.Status.MISSING) {
            report.blobChecked(result.sizeBytes());
        }
        long expectedSize = versions.get(0).sizeBytes();
        boolean sizeMatches = result.sizeBytes() == expectedSize;
        if (result.isOk() && sizeMatches) {
            Long finding = openFindingSequence.get(id);
            if (finding != null) {
                // Not a problem: the bytes are intact. The open finding still counts in arca status.
                listener.progress("Blob " + blobs.pathOf(id) + " is intact, but the damage finding in journal record "
                        + finding + " is still open; run 'arca reconcile --repair' with the node stopped to close it.");
            }
            return;
        }
        for (StoredVersion version : versions) {
            report.problem();
            listener.problem(describe(result, sizeMatches, expectedSize) + ": SOP Instance " + version.sopInstanceUid()
                    + " version " + version.version() + " (journal record " + version.journalSequence() + "), blob "
                    + blobs.pathOf(id));
        }
    }

    /** A blob is reclaimed when a BLOB_RECLAIMED record names it after the last version stored in it. */
    private boolean isReclaimed(BlobId id, List<StoredVersion> versions) {
        Long reclaimedAt = reclaimedAtSequence.get(id);
        return reclaimedAt != null
                && versions.stream().allMatch(version -> version.journalSequence() < reclaimedAt);
    }

    private static String describe(VerifyResult result, boolean sizeMatches, long expectedSize) {
        return switch (result.status()) {
            case MISSING -> "MISSING blob";
            case CORRUPT -> "SHA-256 MISMATCH (bytes hash to " + result.actual().hex() + ")";
            case OK -> "SIZE MISMATCH (" + result.sizeBytes() + " bytes, journal says " + expectedSize + ")";
        };
    }

    private void checkUnreferencedBlobs(BlobStore blobs, Set<BlobId> referenced, VerifyReport.Builder report)
            throws IOException {
        Set<BlobId> seen = new HashSet<>(referenced);
        try (Stream<BlobId> all = blobs.list()) {
            for (BlobId id : (Iterable<BlobId>) all::iterator) {
                if (!seen.add(id)) {
                    continue;
                }
                VerifyResult result = blobs.verify(id);
                report.unreferencedBlob(Math.max(result.sizeBytes(), 0));
                if (!result.isOk()) {
                    report.problem();
                    listener.problem("SHA-256 MISMATCH in a blob no journal record names: " + blobs.pathOf(id));
                }
            }
        }
    }
}
