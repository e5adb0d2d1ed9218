package org.arca.store.rebuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.arca.store.fs.Fsync;
import org.arca.store.index.Index;
import org.arca.store.ingest.IndexChange;
import org.arca.store.ingest.JournalRecordApplier;
import org.arca.store.journal.JournalAnchor;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.arca.store.retention.CheckpointBases;
import org.arca.store.retention.CheckpointManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an index file from the journal alone. Every record goes through
 * {@link JournalRecordApplier#changeOf}, the same mapping that live ingest uses, so a rebuilt index
 * equals one that was kept up to date record by record.
 *
 * <p>The new file is built beside the live one ({@code <live>.rebuild}), committed in transactions of
 * {@link #RECORDS_PER_TRANSACTION} records, fsynced, and only then renamed over the live file. A
 * crash at any point leaves either the old live index or the new one, never a mix.
 */
public final class IndexRebuilder {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRebuilder.class);

    /** Records per transaction; large enough that commits cost little, small enough to hold decoded in memory. */
    static final int RECORDS_PER_TRANSACTION = 5_000;

    private IndexRebuilder() {
    }

    /** Returns the file beside {@code liveIndex} that a rebuild writes before it replaces the live one. */
    public static Path rebuildFileOf(Path liveIndex) {
        return liveIndex.resolveSibling(liveIndex.getFileName() + ".rebuild");
    }

    /**
     * Rebuilds the live index from every record the reader returns, then replaces {@code liveIndex}
     * atomically. The caller must keep every other writer off the index while this runs.
     *
     * @throws IOException when the journal cannot be read or a file operation fails; the live index is
     *     then unchanged
     */
    public static RebuildResult rebuildAndReplace(JournalReader records, Path liveIndex) throws IOException {
        Path rebuildFile = rebuildFileOf(liveIndex);
        RebuildResult built = buildAndFsync(records, rebuildFile, Optional.empty(), RECORDS_PER_TRANSACTION);
        replaceAndFsync(rebuildFile, liveIndex);
        LOG.info("Replaced index {} with the index rebuilt from journal records 1 to {}: {} records in {} ms, {}"
                + " records per second.", liveIndex, built.lastSequence(), built.recordsRead(),
                built.duration().toMillis(), Math.round(built.recordsPerSecond()));
        return new RebuildResult(liveIndex, built.recordsRead(), built.lastSequence(), built.lastRecordTime(),
                built.duration());
    }

    /**
     * Builds the index as it was at {@code asOf} into {@code output}: the records from the first up to,
     * but not including, the first record with a timestamp after {@code asOf}. Journal timestamps come
     * from the writer's clock, so this is the journal prefix that existed at that time.
     *
     * @throws IOException when {@code output} exists, the journal cannot be read or a file operation fails
     */
    public static RebuildResult rebuildAsOf(JournalReader records, Instant asOf, Path output) throws IOException {
        if (Files.exists(output)) {
            throw new IOException("Output file " + output + " already exists; choose a new file name or remove it "
                    + "first, because a point-in-time index never overwrites a file.");
        }
        Path rebuildFile = rebuildFileOf(output);
        RebuildResult built = buildAndFsync(records, rebuildFile, Optional.of(asOf), RECORDS_PER_TRANSACTION);
        Fsync.moveAtomicallyAndFsync(rebuildFile, output);
        LOG.info("Wrote the index as of {} to {}: journal records 1 to {}, the last one from {}.", asOf, output,
                built.lastSequence(), built.lastRecordTime().map(Instant::toString).orElse("(no record)"));
        return new RebuildResult(output, built.recordsRead(), built.lastSequence(), built.lastRecordTime(),
                built.duration());
    }

    /** Opens a journal reader from a sequence: the live journal or a stopped node's directory. */
    @FunctionalInterface
    public interface JournalFrom {
        JournalReader read(long fromSequence) throws IOException;
    }

    /**
     * Rebuilds the live index of a compacted journal: copies the newest verified checkpoint snapshot
     * (its SHA-256 checked), replays the journal records after it, then replaces {@code liveIndex}
     * atomically. The caller must keep every other writer off the index while this runs.
     *
     * @param journalFirstSequence the first sequence the journal contains
     * @param journalLastSequence the last sequence the journal contains
     * @throws IOException when no checkpoint with an intact snapshot continues into the journal, or
     *     when the journal does not chain to it. The live index is then unchanged.
     */
    public static RebuildResult rebuildFromCheckpointAndReplace(Path dataDirectory, long journalFirstSequence,
            long journalLastSequence, JournalFrom journal, Path liveIndex) throws IOException {
        Path rebuildFile = rebuildFileOf(liveIndex);
        RebuildResult built = buildFromCheckpoint(dataDirectory, journalFirstSequence, journalLastSequence,
                Optional.empty(), journal, rebuildFile);
        replaceAndFsync(rebuildFile, liveIndex);
        LOG.info("Replaced index {} with the index rebuilt from a checkpoint and journal records up to {}: {} records"
                + " in {} ms.", liveIndex, built.lastSequence(), built.recordsRead(), built.duration().toMillis());
        return new RebuildResult(liveIndex, built.recordsRead(), built.lastSequence(), built.lastRecordTime(),
                built.duration());
    }

    /**
     * Builds the index as it was at {@code asOf} into {@code output} from the newest verified
     * checkpoint written at or before {@code asOf} and the journal records after it.
     *
     * @throws IOException when {@code output} exists, or {@code asOf} precedes every usable checkpoint
     *     (the message names the earliest time that can be rebuilt)
     */
    public static RebuildResult rebuildAsOfFromCheckpoint(Path dataDirectory, long journalFirstSequence,
            JournalFrom journal, Instant asOf, Path output) throws IOException {
        if (Files.exists(output)) {
            throw new IOException("Output file " + output + " already exists; choose a new file name or remove it "
                    + "first, because a point-in-time index never overwrites a file.");
        }
        Path rebuildFile = rebuildFileOf(output);
        RebuildResult built = buildFromCheckpoint(dataDirectory, journalFirstSequence, Long.MAX_VALUE,
                Optional.of(asOf), journal, rebuildFile);
        Fsync.moveAtomicallyAndFsync(rebuildFile, output);
        return new RebuildResult(output, built.recordsRead(), built.lastSequence(), built.lastRecordTime(),
                built.duration());
    }

    private static RebuildResult buildFromCheckpoint(Path dataDirectory, long journalFirstSequence,
            long maxSequence, Optional<Instant> asOf, JournalFrom journal, Path newFile) throws IOException {
        long started = System.nanoTime();
        deleteWithSidecars(newFile);
        CheckpointManifest base = CheckpointBases.copyNewestVerified(dataDirectory, journalFirstSequence,
                maxSequence, asOf.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE), newFile);
        try (JournalReader records = journal.read(base.journalSequence() + 1)) {
            return applyAndFsync(records, newFile, asOf, RECORDS_PER_TRANSACTION, started,
                    JournalAnchor.ofHex(base.journalSequence(), base.journalRecordSha256()));
        }
    }

    /**
     * Builds a new index file from the records, stopping before the first record after {@code asOf}
     * when given, and fsyncs it and its directory. Removes what an interrupted earlier build left at
     * {@code newFile}.
     */
    static RebuildResult buildAndFsync(JournalReader records, Path newFile, Optional<Instant> asOf,
            int recordsPerTransaction) throws IOException {
        long started = System.nanoTime();
        deleteWithSidecars(newFile);
        return applyAndFsync(records, newFile, asOf, recordsPerTransaction, started, null);
    }

    /**
     * Applies the records to the index at {@code newFile}. With a {@code base} (the checkpoint that
     * {@code newFile} already holds), the first record must follow it and chain to its hash.
     */
    private static RebuildResult applyAndFsync(JournalReader records, Path newFile, Optional<Instant> asOf,
            int recordsPerTransaction, long started, JournalAnchor base) throws IOException {
        long stopAfterMillis = asOf.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);

        BuildProgress progress = new BuildProgress();
        progress.base = base;
        progress.lastSequence = base == null ? 0 : base.sequence();
        try {
            applyAll(records, newFile, stopAfterMillis, recordsPerTransaction, progress);
            forceFileAndDirectory(newFile);
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(newFile, e);
            throw e;
        }

        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        LOG.debug("Built index {} from {} journal records (last sequence {}) in {} ms.", newFile, progress.count,
                progress.lastSequence, duration.toMillis());
        return new RebuildResult(newFile, progress.count, progress.lastSequence, progress.lastTime(), duration);
    }

    private static void applyAll(JournalReader records, Path newFile, long stopAfterMillis,
            int recordsPerTransaction, BuildProgress progress) throws IOException {
        try (Index index = Index.open(newFile)) {
            List<IndexChange> batch = new ArrayList<>(recordsPerTransaction);
            while (records.hasNext()) {
                JournalRecord record = records.next();
                if (record.timestampMillis() > stopAfterMillis) {
                    break;
                }
                batch.add(JournalRecordApplier.changeOf(record));
                progress.read(record);
                if (batch.size() == recordsPerTransaction) {
                    applyBatch(index, batch, progress.lastSequence);
                    batch.clear();
                }
            }
            applyBatch(index, batch, progress.lastSequence);
        }
    }

    private static void checkChainsTo(JournalRecord record, JournalAnchor base) throws IOException {
        if (record.sequence() != base.sequence() + 1 || !Arrays.equals(record.previousHash(), base.sha256())) {
            throw new IOException("Journal record " + record.sequence() + " does not continue the checkpoint at "
                    + base + "; the checkpoint belongs to another journal. Run arca verify.");
        }
    }

    private static void deleteAfterFailure(Path newFile, Exception failure) {
        try {
            deleteWithSidecars(newFile);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Applies the changes in one transaction and records {@code lastSequence} as applied in it. */
    private static void applyBatch(Index index, List<IndexChange> changes, long lastSequence) {
        index.applyInOneTransaction(() -> {
            for (IndexChange change : changes) {
                change.applyTo(index);
            }
            index.advanceLastAppliedJournalSequence(lastSequence);
        });
    }

    /**
     * Fsyncs the closed index file and its directory. Closing the last connection checkpoints the
     * write-ahead log into the file and deletes it, so the file alone contains the index.
     */
    private static void forceFileAndDirectory(Path file) throws IOException {
        Path wal = sidecar(file, "-wal");
        if (Files.exists(wal)) {
            throw new IOException("Index " + file + " still has its write-ahead log " + wal + " after closing; the"
                    + " build is not complete. Remove both files and rebuild again.");
        }
        Fsync.fsyncFile(file);
        Fsync.fsyncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Renames the built file over the live index. The live file's write-ahead log and shared-memory
     * file go first, because SQLite would otherwise apply the old log's pages to the new file.
     */
    static void replaceAndFsync(Path builtFile, Path liveIndex) throws IOException {
        Files.deleteIfExists(sidecar(liveIndex, "-wal"));
        Files.deleteIfExists(sidecar(liveIndex, "-shm"));
        Fsync.moveAtomicallyAndFsync(builtFile, liveIndex);
    }

    static void deleteWithSidecars(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(sidecar(file, "-wal"));
        Files.deleteIfExists(sidecar(file, "-shm"));
    }

    /** Returns SQLite's file beside {@code file} with the suffix, such as {@code arca.sqlite-wal}. */
    static Path sidecar(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** Counts the records read and remembers the last one. */
    private static final class BuildProgress {
        JournalAnchor base;
        long count;
        long lastSequence;
        long lastMillis = -1;

        void read(JournalRecord record) throws IOException {
            if (count == 0 && base != null) {
                checkChainsTo(record, base);
            }
            count++;
            lastSequence = record.sequence();
            lastMillis = record.timestampMillis();
        }

        Optional<Instant> lastTime() {
            return lastMillis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastMillis));
        }
    }
}
