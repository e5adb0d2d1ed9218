package org.arca.store.retention;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.fs.Fsync;
import org.arca.store.fs.StorageFailures;
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
 * Removes reclaimed blobs in two steps, so that a concurrent ingest of the same bytes cannot lose
 * them. An ingest that finds the blob already published discards its own copy and journals a
 * version that names the existing file. If retention deleted the file in between, that
 * acknowledged version would have no bytes.
 *
 * <ol>
 *   <li>{@link #reclaimAndForce}: append and force the BLOB_RECLAIMED record, apply it to the index,
 *       then move the blob file into the staging directory {@code <data>/retention/reclaiming/}
 *       and fsync both directories.
 *   <li>{@link #settleStaged}, in a later run (or at once when no ingest can run, as offline):
 *       delete each staged file and fsync the staging directory, unless a version stored after the
 *       BLOB_RECLAIMED record names the blob again; then the file moves back into the blob store.
 * </ol>
 *
 * <p>Not thread-safe; {@link Retention} runs one reclaim at a time.
 */
final class BlobReclaimer {

    private static final Logger LOG = LoggerFactory.getLogger(BlobReclaimer.class);

    private final Path stagingDirectory;
    private final BlobStore blobs;
    private final Journal journal;
    private final Index index;
    private final IndexUpdater indexUpdater;

    BlobReclaimer(Path stagingDirectory, BlobStore blobs, Journal journal, Index index, IndexUpdater indexUpdater) {
        this.stagingDirectory = stagingDirectory;
        this.blobs = blobs;
        this.journal = journal;
        this.index = index;
        this.indexUpdater = indexUpdater;
    }

    /** Journals the reclaim of one blob, forces it, applies it to the index and stages the file. */
    long reclaimAndForce(ReclaimCandidate candidate, String reason) throws IOException {
        BlobReclaimedEvent event = new BlobReclaimedEvent(BlobReclaimedEvent.FORMAT_VERSION, candidate.blobSha256(),
                candidate.sizeBytes(), candidate.references(), reason);
        long sequence = journal.appendAndForce(JournalRecordTypes.BLOB_RECLAIMED, event.toJsonBytes());
        applyToIndex(sequence);
        stage(candidate.blobSha256());
        LOG.info("Reclaimed blob {} ({} bytes) of Study {}: journal record {}, {}.", candidate.blobSha256(),
                candidate.sizeBytes(), String.join(", ", candidate.studyInstanceUids()), sequence, reason);
        return sequence;
    }

    /** Applies the forced record through the one record-to-index map, as every other writer does. */
    private void applyToIndex(long sequence) throws IOException {
        try (JournalReader reader = journal.read(sequence)) {
            JournalRecord record = reader.next();
            try {
                indexUpdater.submitAndAwait(sequence, JournalRecordApplier.changeOf(record));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("Interrupted while the index applied journal record "
                        + sequence + "; the record is durable and is replayed at the next start.");
            }
        }
    }

    /**
     * Stages the blob files of reclaimed blobs that are still in the blob store: those of a run
     * stopped between the record and the move. Returns how many it staged.
     */
    int stageInterrupted() throws IOException {
        int staged = 0;
        for (ReclaimedBlob reclaimed : index.read("list reclaimed blobs", RetentionTables::reclaimed)) {
            if (blobs.exists(BlobId.of(reclaimed.blobSha256()))) {
                LOG.warn("Blob {} is recorded as reclaimed by journal record {} but is still in the blob store; "
                        + "an earlier run stopped before moving it. Staging it now.", reclaimed.blobSha256(),
                        reclaimed.journalSequence());
                stage(reclaimed.blobSha256());
                staged++;
            }
        }
        return staged;
    }

    private void stage(String blobSha256) throws IOException {
        Path source = blobs.pathOf(BlobId.of(blobSha256));
        Path target = stagingDirectory.resolve(blobSha256);
        try {
            Fsync.createDirectoriesAndFsync(stagingDirectory);
            Fsync.moveAtomicallyAndFsync(source, target);
        } catch (IOException e) {
            throw StorageFailures.classify(e, source);
        }
    }

    /** Deletes or moves back every staged file; returns how many it deleted. */
    int settleStaged() throws IOException {
        if (!Files.isDirectory(stagingDirectory)) {
            return 0;
        }
        int deleted = 0;
        for (Path staged : listStaged()) {
            String blobSha256 = staged.getFileName().toString();
            if (!BlobId.isValid(blobSha256)) {
                LOG.warn("Ignoring {} in the retention staging directory: its name is not a SHA-256.", staged);
                continue;
            }
            Optional<ReclaimedBlob> reclaimed = index.read("read reclaimed blob " + blobSha256,
                    reader -> RetentionTables.reclaimed(reader, blobSha256));
            if (reclaimed.isPresent()) {
                Files.delete(staged);
                deleted++;
            } else {
                moveBack(staged, blobSha256);
            }
        }
        Fsync.fsyncDirectory(stagingDirectory);
        return deleted;
    }

    /** A version stored after the reclaim names the blob again: the bytes go back where it expects them. */
    private void moveBack(Path staged, String blobSha256) throws IOException {
        BlobId id = BlobId.of(blobSha256);
        if (blobs.exists(id)) {
            Files.delete(staged);
            LOG.info("Blob {} was stored again after it was reclaimed and is in the blob store; removed the staged "
                    + "copy.", blobSha256);
            return;
        }
        Path target = blobs.pathOf(id);
        Fsync.createDirectoriesAndFsync(target.getParent());
        Fsync.moveAtomicallyAndFsync(staged, target);
        LOG.warn("Blob {} was stored again while it was being reclaimed; moved its bytes back into the blob store.",
                blobSha256);
    }

    private List<Path> listStaged() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(stagingDirectory)) {
            List<Path> staged = new java.util.ArrayList<>();
            entries.forEach(staged::add);
            return staged;
        }
    }
}
