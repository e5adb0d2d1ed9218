package org.arca.store.retention;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.arca.store.fs.Fsync;
import org.arca.store.index.Index;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Checkpoints of the index: a SQLite snapshot taken with {@code VACUUM INTO} and a
 * {@link CheckpointManifest} that names the journal sequence the snapshot contains and anchors
 * the journal's hash chain after it. A point-in-time view inside the CDP window can start from
 * the newest checkpoint taken before the window and replay the journal from its sequence + 1.
 *
 * <p>On disk: {@code <data>/checkpoints/<20-digit sequence>.sqlite} and
 * {@code <20-digit sequence>.checkpoint}. The snapshot is fsynced and renamed into place before
 * its manifest, so a manifest always names a complete snapshot. A snapshot without a manifest
 * is an interrupted checkpoint and is ignored.
 *
 * <p>Not thread-safe; {@link Retention} writes one checkpoint at a time.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final String MANIFEST_SUFFIX = ".checkpoint";
    private static final String SNAPSHOT_SUFFIX = ".sqlite";

    private final Path directory;
    private final Clock clock;

    public Checkpoints(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Writes a checkpoint of the index as it is now and fsyncs it. Returns empty when the index
     * contains no journal record yet, or a checkpoint at its sequence exists already.
     */
    public Optional<CheckpointManifest> writeAndFsync(Index index, Journal journal) throws IOException {
        Fsync.createDirectoriesAndFsync(directory);
        Path temporary = directory.resolve("snapshot-" + UUID.randomUUID() + ".tmp");
        try {
            index.copyInto(temporary);
            long sequence = lastAppliedSequenceOf(temporary);
            Path snapshot = directory.resolve(fileName(sequence, SNAPSHOT_SUFFIX));
            if (sequence == 0 || Files.exists(directory.resolve(fileName(sequence, MANIFEST_SUFFIX)))) {
                return Optional.empty();
            }
            if (sequence < journal.firstSequence()) {
                // Compaction removed the record, so it cannot anchor a new checkpoint; the index is
                // still at the sequence of an existing one.
                LOG.info("Not writing a checkpoint at journal sequence {}: the journal starts at sequence {}.",
                        sequence, journal.firstSequence());
                return Optional.empty();
            }
            JournalRecord record = recordAt(journal, sequence);
            Fsync.fsyncFile(temporary);
            String snapshotSha256 = sha256Of(temporary);
            long snapshotSizeBytes = Files.size(temporary);
            Fsync.moveAtomicallyAndFsync(temporary, snapshot);

            CheckpointManifest manifest = new CheckpointManifest(sequence, HexFormat.of().formatHex(record.hash()),
                    record.timestampMillis(), snapshot.getFileName().toString(), snapshotSha256, snapshotSizeBytes,
                    clock.millis());
            writeManifestAndFsync(manifest);
            LOG.info("Wrote checkpoint {} of the index at journal sequence {} ({} bytes, SHA-256 {}).", snapshot,
                    sequence, snapshotSizeBytes, snapshotSha256);
            return Optional.of(manifest);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void writeManifestAndFsync(CheckpointManifest manifest) throws IOException {
        Path temporary = directory.resolve("manifest-" + UUID.randomUUID() + ".tmp");
        Files.write(temporary, manifest.encode());
        Fsync.fsyncFile(temporary);
        Fsync.moveAtomicallyAndFsync(temporary, directory.resolve(fileName(manifest.journalSequence(),
                MANIFEST_SUFFIX)));
    }

    /** Lists the checkpoints with a readable manifest, oldest first. A damaged manifest is logged and skipped. */
    public List<CheckpointManifest> list() throws IOException {
        List<CheckpointManifest> manifests = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return manifests;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + MANIFEST_SUFFIX)) {
            for (Path entry : entries) {
                try {
                    manifests.add(CheckpointManifest.read(entry));
                } catch (IOException | NumberFormatException e) {
                    LOG.error("Skipping the checkpoint manifest {}: {}", entry, e.getMessage());
                }
            }
        }
        manifests.sort(Comparator.comparingLong(CheckpointManifest::journalSequence));
        return manifests;
    }

    /** Returns whether the newest checkpoint is older than {@code interval}, or none exists. */
    public boolean isDue(Duration interval) throws IOException {
        List<CheckpointManifest> manifests = list();
        if (manifests.isEmpty()) {
            return true;
        }
        long newestMillis = manifests.stream().mapToLong(CheckpointManifest::createdAtMillis).max().orElseThrow();
        return clock.millis() - newestMillis >= interval.toMillis();
    }

    /**
     * Rereads a checkpoint's snapshot and compares its size and SHA-256 with the manifest.
     *
     * @throws IOException naming the file and both values when they differ
     */
    public void verify(CheckpointManifest manifest) throws IOException {
        Path snapshot = directory.resolve(manifest.snapshotFileName());
        long sizeBytes = Files.size(snapshot);
        String sha256 = sha256Of(snapshot);
        if (sizeBytes != manifest.snapshotSizeBytes() || !sha256.equals(manifest.snapshotSha256())) {
            throw new IOException("Checkpoint snapshot " + snapshot + " has " + sizeBytes + " bytes and SHA-256 "
                    + sha256 + ", but its manifest records " + manifest.snapshotSizeBytes() + " bytes and "
                    + manifest.snapshotSha256() + "; the snapshot is damaged, write a new checkpoint.");
        }
    }

    /**
     * Removes checkpoints that no view inside the window needs: every one older than the newest
     * checkpoint whose journal record precedes the window start. Returns how many it removed.
     */
    public int removeSuperseded(Instant windowStart) throws IOException {
        List<CheckpointManifest> manifests = list();
        CheckpointManifest base = null;
        for (CheckpointManifest manifest : manifests) {
            if (manifest.journalRecordTimestampMillis() < windowStart.toEpochMilli()) {
                base = manifest;
            }
        }
        int removed = 0;
        for (CheckpointManifest manifest : manifests) {
            if (base != null && manifest.journalSequence() < base.journalSequence()) {
                Files.delete(directory.resolve(fileName(manifest.journalSequence(), MANIFEST_SUFFIX)));
                Files.deleteIfExists(directory.resolve(manifest.snapshotFileName()));
                removed++;
                LOG.info("Removed checkpoint {} at journal sequence {}: the checkpoint at sequence {} precedes the "
                        + "CDP window and replaces it.", manifest.snapshotFileName(), manifest.journalSequence(),
                        base.journalSequence());
            }
        }
        if (removed > 0) {
            Fsync.fsyncDirectory(directory);
        }
        return removed;
    }

    private static long lastAppliedSequenceOf(Path snapshot) throws IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + snapshot.toAbsolutePath());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT last_applied_journal_sequence FROM index_state WHERE id = 1")) {
            if (!row.next()) {
                throw new IOException("The index snapshot " + snapshot + " has no index_state row.");
            }
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IOException("Reading the journal sequence of the index snapshot " + snapshot + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static JournalRecord recordAt(Journal journal, long sequence) throws IOException {
        try (JournalReader reader = journal.read(sequence)) {
            if (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.sequence() == sequence) {
                    return record;
                }
            }
        }
        throw new IOException("The index contains journal sequence " + sequence + ", but the journal "
                + journal.directory() + " has no record with that sequence; run arca verify.");
    }

    static String fileName(long sequence, String suffix) {
        return String.format("%020d", sequence) + suffix;
    }

    static String sha256Of(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which Java requires.", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
