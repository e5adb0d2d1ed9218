package org.arca.store.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.arca.store.DataDirectory;
import org.arca.store.fs.Fsync;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalAnchor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups of the checkpoints that a compacted journal's readers start from. Such a checkpoint's
 * sequence is at least the journal's first retained sequence - 1, so the retained records continue
 * it. While the journal starts at sequence 1, no checkpoint is needed.
 */
public final class CheckpointBases {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointBases.class);

    private CheckpointBases() {
    }

    /**
     * Returns the anchor for opening the journal of {@code dataDirectory}: the oldest checkpoint
     * manifest at or after the journal's first segment sequence - 1. Empty when the journal starts
     * at sequence 1 or no manifest qualifies. The journal then fails to open with a message that names the missing checkpoint.
     */
    public static Optional<JournalAnchor> anchorFor(Path dataDirectory) throws IOException {
        long first = Journal.firstSegmentSequence(DataDirectory.journalOf(dataDirectory));
        if (first <= 1) {
            return Optional.empty();
        }
        for (CheckpointManifest manifest : checkpointsOf(dataDirectory).list()) {
            if (manifest.journalSequence() >= first - 1) {
                return Optional.of(JournalAnchor.ofHex(manifest.journalSequence(), manifest.journalRecordSha256()));
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the newest checkpoint that continues into the retained journal and contains no
     * record after {@code maxSequence} or after {@code maxRecordMillis} (epoch milliseconds), after
     * checking its snapshot's size and SHA-256. A damaged snapshot is logged and the next older one is tried.
     */
    public static Optional<CheckpointManifest> newestVerified(Path dataDirectory, long journalFirstSequence,
            long maxSequence, long maxRecordMillis) throws IOException {
        return newestVerified(checkpointsOf(dataDirectory), journalFirstSequence, maxSequence, maxRecordMillis);
    }

    /** {@link #newestVerified(Path, long, long, long)} among {@code checkpoints}. */
    public static Optional<CheckpointManifest> newestVerified(Checkpoints checkpoints, long journalFirstSequence,
            long maxSequence, long maxRecordMillis) throws IOException {
        List<CheckpointManifest> manifests = checkpoints.list();
        for (int i = manifests.size() - 1; i >= 0; i--) {
            CheckpointManifest manifest = manifests.get(i);
            if (manifest.journalSequence() > maxSequence || manifest.journalSequence() < journalFirstSequence - 1
                    || manifest.journalRecordTimestampMillis() > maxRecordMillis) {
                continue;
            }
            try {
                checkpoints.verify(manifest);
                return Optional.of(manifest);
            } catch (IOException e) {
                LOG.error("Not using checkpoint {} at journal sequence {}: {}", manifest.snapshotFileName(),
                        manifest.journalSequence(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the oldest checkpoint that continues into the retained journal: its record's time is
     * the earliest point in time that a view of the compacted journal can show.
     */
    public static Optional<CheckpointManifest> oldestUsable(Path dataDirectory, long journalFirstSequence)
            throws IOException {
        return checkpointsOf(dataDirectory).list().stream()
                .filter(manifest -> manifest.journalSequence() >= journalFirstSequence - 1)
                .findFirst();
    }

    /**
     * Copies the newest verified checkpoint snapshot at or below {@code maxSequence} and
     * {@code maxRecordMillis} to {@code target} (which must not exist), fsyncs it, checks the copy's
     * SHA-256 again, and returns its manifest.
     *
     * @throws IOException when the journal is compacted and no checkpoint continues into it, naming
     *     what to restore
     */
    public static CheckpointManifest copyNewestVerified(Path dataDirectory, long journalFirstSequence,
            long maxSequence, long maxRecordMillis, Path target) throws IOException {
        Optional<CheckpointManifest> found = newestVerified(dataDirectory, journalFirstSequence, maxSequence,
                maxRecordMillis);
        if (found.isEmpty()) {
            Optional<CheckpointManifest> oldest = oldestUsable(dataDirectory, journalFirstSequence);
            throw new IOException("The journal of " + dataDirectory + " starts at sequence " + journalFirstSequence
                    + ", so a reader must start from a checkpoint at sequence " + (journalFirstSequence - 1)
                    + " to " + maxSequence + (maxRecordMillis == Long.MAX_VALUE ? "" : " written at or before "
                            + java.time.Instant.ofEpochMilli(maxRecordMillis))
                    + ", but no such checkpoint with an intact snapshot exists in "
                    + Retention.checkpointsOf(dataDirectory) + (oldest.isPresent() ? "; the earliest time that "
                            + "can be rebuilt is " + java.time.Instant.ofEpochMilli(
                                    oldest.get().journalRecordTimestampMillis()) : "")
                    + ". Choose a later time, or restore the checkpoints directory from a backup.");
        }
        CheckpointManifest manifest = found.get();
        Path snapshot = Retention.checkpointsOf(dataDirectory).resolve(manifest.snapshotFileName());
        Files.copy(snapshot, target);
        Fsync.fsyncFile(target);
        String copied = Checkpoints.sha256Of(target);
        if (!copied.equals(manifest.snapshotSha256())) {
            Files.delete(target);
            throw new IOException("The copy " + target + " of checkpoint snapshot " + snapshot + " has SHA-256 "
                    + copied + ", not " + manifest.snapshotSha256() + "; the snapshot changed while it was copied.");
        }
        LOG.info("Copied checkpoint {} at journal sequence {} to {} as the base for replaying the journal.",
                manifest.snapshotFileName(), manifest.journalSequence(), target);
        return manifest;
    }

    private static Checkpoints checkpointsOf(Path dataDirectory) {
        return new Checkpoints(Retention.checkpointsOf(dataDirectory), Clock.systemUTC());
    }
}
