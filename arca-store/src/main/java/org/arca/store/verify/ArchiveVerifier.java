package org.arca.store.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.VerifyResult;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.index.InstanceRecord;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalCorruptionException;
import org.arca.store.journal.JournalProblem;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.arca.store.journal.JournalVerification;
import org.arca.store.retention.BlobReclaimedEvent;

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

    public ArchiveVerifier(Path dataDirectory, VerifyListener listener) {
        this.dataDirectory = dataDirectory;
        this.listener = listener;
    }

    /** Runs every check and returns the counts; each problem has been passed to the listener. */
    public VerifyReport verify() throws IOException {
        VerifyReport.Builder report = new VerifyReport.Builder();

        // 1. The journal: every record's CRC, sequence and hash chain.
        JournalVerification journal = Journal.verifyDirectory(DataDirectory.journalOf(dataDirectory));
        report.journal(journal.segmentCount(), journal.recordCount(), journal.lastSequence());
        for (JournalProblem problem : journal.problems()) {
            report.problem();
            listener.problem("Journal defect in " + problem.segment() + " at offset " + problem.offset()
                    + " (sequence " + problem.expectedSequence() + "): " + problem.defect() + ", " + problem.detail());
        }

        // 2. The stored versions the journal names, and the blob of each.
        Map<BlobId, List<InstanceRecord>> versionsByBlob = storedVersions(report);
        BlobStore blobs = BlobStore.openReadOnly(DataDirectory.blobsOf(dataDirectory));
        for (Map.Entry<BlobId, List<InstanceRecord>> entry : versionsByBlob.entrySet()) {
            checkBlob(blobs, entry.getKey(), entry.getValue(), report);
        }

        // 3. Every other blob file: its name must still be the SHA-256 of its bytes.
        checkUnreferencedBlobs(blobs, versionsByBlob.keySet(), report);
        return report.build();
    }

    private Map<BlobId, List<InstanceRecord>> storedVersions(VerifyReport.Builder report) throws IOException {
        Map<BlobId, List<InstanceRecord>> versionsByBlob = new HashMap<>();
        try (JournalReader reader = Journal.readDirectory(DataDirectory.journalOf(dataDirectory), 1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.type() == JournalRecordTypes.BLOB_RECLAIMED) {
                    String sha256 = BlobReclaimedEvent.fromJsonBytes(record.payload(), record.sequence()).blobSha256();
                    reclaimedAtSequence.put(BlobId.of(sha256), record.sequence());
                }
                if (record.type() != JournalRecordTypes.INSTANCE_STORED) {
                    continue;
                }
                InstanceRecord instance = InstanceStoredEvent.fromJsonBytes(record.payload(), record.sequence())
                        .instance();
                versionsByBlob.computeIfAbsent(BlobId.of(instance.blobSha256()), id -> new java.util.ArrayList<>())
                        .add(instance);
                report.storedVersion();
            }
        } catch (JournalCorruptionException e) {
            // Already reported by the journal check; the records before the defect are still verified.
            listener.progress("Stopped reading stored versions at the journal defect: " + e.getMessage());
        }
        return versionsByBlob;
    }

    private void checkBlob(BlobStore blobs, BlobId id, List<InstanceRecord> versions, VerifyReport.Builder report)
            throws IOException {
        VerifyResult result = blobs.verify(id);
        if (result.status() == VerifyResult.Status.MISSING && isReclaimed(id, versions)) {
            listener.progress("Blob " + id.hex() + " was reclaimed by retention (journal record "
                    + reclaimedAtSequence.get(id) + ") after every version in it was deleted; not damage.");
            return;
        }
        report.blobChecked(Math.max(result.sizeBytes(), 0));
        long expectedSize = versions.get(0).sizeBytes();
        boolean sizeMatches = result.sizeBytes() == expectedSize;
        if (result.isOk() && sizeMatches) {
            return;
        }
        for (InstanceRecord version : versions) {
            report.problem();
            listener.problem(describe(result, sizeMatches, expectedSize) + ": SOP Instance " + version.sopInstanceUid()
                    + " version " + version.version() + " (journal record " + version.journalSequence() + "), blob "
                    + blobs.pathOf(id));
        }
    }

    /** A blob is reclaimed when a BLOB_RECLAIMED record names it after the last version stored in it. */
    private boolean isReclaimed(BlobId id, List<InstanceRecord> versions) {
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
