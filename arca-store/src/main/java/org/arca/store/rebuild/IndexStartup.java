package org.arca.store.rebuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.arca.store.fs.Fsync;
import org.arca.store.index.Index;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the index of a data directory at start and makes it fit the journal first: a missing index
 * is rebuilt, a corrupt one is moved aside and rebuilt, and one that has applied more records than
 * the journal contains (a journal restored from an older backup) is moved aside and rebuilt. An index
 * that is behind is left to the caller's replay. A moved-aside file is kept, never deleted.
 */
public final class IndexStartup {

    private static final Logger LOG = LoggerFactory.getLogger(IndexStartup.class);

    /** UTC time in moved-aside file names, such as {@code arca.sqlite.corrupt-20261204T231502Z}. */
    private static final DateTimeFormatter ASIDE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private IndexStartup() {
    }

    /**
     * Checks, rebuilds when needed, and opens the index. The journal must be open for writing by the
     * caller and nothing may append to it until this returns.
     */
    public static Index openChecked(Path indexFile, Journal journal, Clock clock) throws IOException {
        return openChecked(indexFile, journal, clock, null);
    }

    /**
     * Checks, rebuilds when needed, and opens the index like {@link #openChecked(Path, Journal, Clock)}.
     * When compaction removed the journal's start, a rebuild starts from a verified checkpoint in
     * {@code dataDirectory} (null when there is none), and an index that has not applied the records
     * up to the journal's first sequence is moved aside and rebuilt too.
     */
    public static Index openChecked(Path indexFile, Journal journal, Clock clock, Path dataDirectory)
            throws IOException {
        IndexFileCheck.Result check = IndexFileCheck.check(indexFile);
        if (check.state() == IndexFileCheck.State.MISSING && journal.lastSequence() > 0) {
            LOG.warn("Index file {} is missing; rebuilding it from the {} journal records.", indexFile,
                    journal.lastSequence());
            rebuild(indexFile, journal, dataDirectory);
        } else if (check.state() == IndexFileCheck.State.CORRUPT) {
            Path aside = moveAside(indexFile, "corrupt", clock);
            LOG.error("Index file {} is corrupt (SQLite quick_check, {} ms: {}); moved it to {} and rebuilding the"
                    + " index from the {} journal records. No data is lost, because the journal holds every record.",
                    indexFile, check.duration().toMillis(), oneLine(check.detail()), aside, journal.lastSequence());
            rebuild(indexFile, journal, dataDirectory);
        } else if (check.state() == IndexFileCheck.State.SOUND) {
            LOG.info("Index file {} passed SQLite quick_check in {} ms.", indexFile, check.duration().toMillis());
        }

        Index index = Index.open(indexFile);
        long applied = index.lastAppliedJournalSequence();
        if (applied < journal.firstSequence() - 1) {
            index.close();
            Path aside = moveAside(indexFile, "behind", clock);
            LOG.error("Index file {} has applied journal records up to sequence {}, but compaction removed the journal"
                    + " up to sequence {}, so the index cannot catch up. Moved it to {} and rebuilding the index from"
                    + " a checkpoint and the journal.", indexFile, applied, journal.firstSequence() - 1, aside);
            rebuild(indexFile, journal, dataDirectory);
            return Index.open(indexFile);
        }
        if (applied <= journal.lastSequence()) {
            return index;
        }
        index.close();
        Path aside = moveAside(indexFile, "ahead", clock);
        LOG.error("Index file {} has applied journal records up to sequence {}, but the journal ends at sequence {}:"
                + " the journal is older than the index, for example restored from a backup. Moved the index to {},"
                + " which still lists the instances of records {} to {}, and rebuilding the index from the journal."
                + " Compare the two and recover those instances' journal records or blobs.",
                indexFile, applied, journal.lastSequence(), aside, journal.lastSequence() + 1, applied);
        rebuild(indexFile, journal, dataDirectory);
        return Index.open(indexFile);
    }

    private static void rebuild(Path indexFile, Journal journal, Path dataDirectory) throws IOException {
        if (journal.firstSequence() > 1) {
            if (dataDirectory == null) {
                throw new IOException("The journal " + journal.directory() + " starts at sequence "
                        + journal.firstSequence() + ", so the index " + indexFile + " can be rebuilt only from a "
                        + "checkpoint, and no data directory with checkpoints was given.");
            }
            IndexRebuilder.rebuildFromCheckpointAndReplace(dataDirectory, journal.firstSequence(),
                    journal.lastSequence(), journal::read, indexFile);
            return;
        }
        try (JournalReader records = journal.read(1)) {
            IndexRebuilder.rebuildAndReplace(records, indexFile);
        }
    }

    /**
     * Renames the index file (and its write-ahead log, so the pair still opens together) to
     * {@code <file>.<reason>-<UTC time>} (with {@code -2}, {@code -3}... when taken), deletes its shared-memory file, and fsyncs the directory.
     */
    static Path moveAside(Path indexFile, String reason, Clock clock) throws IOException {
        String name = indexFile.getFileName() + "." + reason + "-" + ASIDE_TIME.format(clock.instant());
        Path aside = indexFile.resolveSibling(name);
        for (int n = 2; Files.exists(aside); n++) {
            aside = indexFile.resolveSibling(name + "-" + n);
        }
        Path wal = IndexRebuilder.sidecar(indexFile, "-wal");
        if (Files.exists(wal)) {
            Fsync.moveAtomicallyAndFsync(wal, IndexRebuilder.sidecar(aside, "-wal"));
        }
        Files.deleteIfExists(IndexRebuilder.sidecar(indexFile, "-shm"));
        Fsync.moveAtomicallyAndFsync(indexFile, aside);
        return aside;
    }

    /** Joins SQLite's multi-line check output into one log line of at most 500 characters. */
    private static String oneLine(String detail) {
        String joined = detail == null ? "" : detail.strip().replaceAll("\\s*\\R\\s*", "; ");
        return joined.length() <= 500 ? joined : joined.substring(0, 500) + " ...";
    }
}
