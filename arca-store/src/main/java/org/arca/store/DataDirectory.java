package org.arca.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.staging.StagingArea;
import org.arca.store.cdp.ArchiveChanges;
import org.arca.store.cdp.ScratchIndex;
import org.arca.store.commitment.StorageCommitmentJournal;
import org.arca.store.fs.FileLayer;
import org.arca.store.repair.RepairJournal;
import org.arca.store.repair.StagedDamageRecorder;
import org.arca.store.retention.Retention;
import org.arca.store.index.Index;
import org.arca.store.ingest.IndexUpdater;
import org.arca.store.ingest.IngestService;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalAnchor;
import org.arca.store.journal.JournalOptions;
import org.arca.store.retention.CheckpointBases;
import org.arca.store.rebuild.IndexStartup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Arca data directory opened by the one process that writes to it: blob store, journal
 * and index, recovered and brought in line with each other.
 *
 * <p>Layout: {@code blobs/}, {@code journal/}, {@code index/arca.sqlite}, and the lock file
 * {@code arca.lock}, which an exclusive file lock keeps to one writing process. Retention adds
 * {@code checkpoints/} and {@code retention/reclaiming/} (see {@link Retention}).
 */
public final class DataDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final BlobStore blobs;
    private final Journal journal;
    private final Index index;
    private final IndexUpdater indexUpdater;
    private final IngestService ingestService;
    private final StorageCommitmentJournal commitments;
    private final RepairJournal repairs;
    private final ArchiveChanges changes;
    private final Retention retention;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock, BlobStore blobs, Journal journal,
            Index index, Clock clock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.blobs = blobs;
        this.journal = journal;
        this.index = index;
        this.indexUpdater = new IndexUpdater(index, journal);
        this.repairs = new RepairJournal(journal, indexUpdater, index);
        this.ingestService = new IngestService(blobs, journal, index, indexUpdater, repairs, clock);
        this.commitments = new StorageCommitmentJournal(journal, indexUpdater);
        this.changes = new ArchiveChanges(root, journal, index, indexUpdater, clock);
        this.retention = new Retention(root, blobs, journal, index, indexUpdater, changes, clock);
    }

    public static Path blobsOf(Path root) {
        return root.resolve("blobs");
    }

    public static Path journalOf(Path root) {
        return root.resolve("journal");
    }

    public static Path indexOf(Path root) {
        return root.resolve("index").resolve("arca.sqlite");
    }

    /** Returns the file whose exclusive lock the one writing process holds. */
    public static Path lockFileOf(Path root) {
        return root.resolve("arca.lock");
    }

    /**
     * Returns whether another process, or another open of this process, holds the lock of the data
     * directory, as a running node does from its start to its stop. It creates no file and releases
     * at once a lock that it takes. An unreadable lock file counts as not held.
     */
    public static boolean isLockedByNode(Path root) {
        Path lockFile = lockFileOf(root);
        if (!Files.isRegularFile(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Locks, opens and recovers a data directory for a node that writes to it: the journal cuts
     * a torn tail, the blob store deletes temporary files of unfinished ingests, the index is
     * rebuilt from the journal when it is missing, corrupt or ahead of the journal
     * ({@link IndexStartup}), and it replays every journal record it has not applied yet.
     */
    public static DataDirectory openForWriting(Path root, Clock clock) throws IOException {
        return openForWriting(root, clock, FileLayer.nio(), JournalOptions.defaults());
    }

    /**
     * {@link #openForWriting(Path, Clock)} with the blob store's and the journal's file operations
     * through {@code files} (tests pass a layer that records or fails them) and the given journal
     * options. The index and the lock file use the real file system.
     */
    public static DataDirectory openForWriting(Path root, Clock clock, FileLayer files, JournalOptions journalOptions)
            throws IOException {
        Files.createDirectories(root);
        FileChannel lockChannel = FileChannel.open(root.resolve("arca.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("Data directory " + root + " is in use by another Arca process; stop that "
                    + "process or choose another directory with --data.");
        }
        BlobStore blobs = null;
        Journal journal = null;
        Index index = null;
        try {
            // Staging packs are preallocated logs like journal segments, and take the same size up to their default.
            long stagingPackBytes = Math.min(StagingArea.DEFAULT_PACK_SIZE_BYTES, journalOptions.segmentSizeBytes());
            blobs = BlobStore.open(blobsOf(root), files, stagingPackBytes);
            prepareStaging(blobs);
            ScratchIndex.deleteLeftovers(root);
            JournalAnchor anchor = CheckpointBases.anchorFor(root).orElse(null);
            journal = Journal.open(journalOf(root), clock, journalOptions, files, anchor);
            index = IndexStartup.openChecked(indexOf(root), journal, clock, root);
            DataDirectory data = new DataDirectory(root, lockChannel, lock, blobs, journal, index, clock);
            data.catchUpIndex();
            // Only now can damaged staged blobs be matched to the stored versions that they hold.
            blobs.onStagedDamage(new StagedDamageRecorder(index, blobs, data.repairs, clock));
            LOG.info("Opened data directory {}: journal at sequence {}, index at sequence {}.", root,
                    journal.lastSequence(), data.indexUpdater.lastAppliedSequence());
            return data;
        } catch (IOException | RuntimeException e) {
            closeAll(blobs, index, journal, lockChannel);
            throw e;
        }
    }

    /**
     * Preallocates the first staging pack before the node accepts instances. A failure, such as a
     * full disk, does not stop the open: reads still work, and ingests fail or stage into packs that
     * grow with each entry.
     */
    private static void prepareStaging(BlobStore blobs) {
        try {
            blobs.prepareStagingAndFsync();
        } catch (StorageException e) {
            LOG.warn("Preallocating a staging pack failed; the first small instances go into a pack that grows "
                    + "with each entry: {}", e.getMessage());
        }
    }

    /** Replays the journal records that the index lacks and logs how many, and how long it took. */
    private void catchUpIndex() {
        long started = System.nanoTime();
        long before = indexUpdater.lastAppliedSequence();
        long replayed = indexUpdater.replayFromJournal();
        if (replayed > 0) {
            LOG.info("Caught up the index of {} from journal sequence {} to {}: {} records in {} ms.", root, before,
                    indexUpdater.lastAppliedSequence(), replayed, (System.nanoTime() - started) / 1_000_000);
        }
    }

    public Path root() {
        return root;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public Journal journal() {
        return journal;
    }

    public Index index() {
        return index;
    }

    public IngestService ingestService() {
        return ingestService;
    }

    public RepairJournal repairs() {
        return repairs;
    }

    public StorageCommitmentJournal commitments() {
        return commitments;
    }

    public ArchiveChanges changes() {
        return changes;
    }

    public Retention retention() {
        return retention;
    }

    @Override
    public void close() throws IOException {
        closeAll(blobs, index, journal, lockChannel);
        LOG.info("Closed data directory {}.", root);
    }

    private static void closeAll(AutoCloseable... closeables) throws IOException {
        IOException first = null;
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IOException("Closing the data directory failed: " + e.getMessage(), e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
