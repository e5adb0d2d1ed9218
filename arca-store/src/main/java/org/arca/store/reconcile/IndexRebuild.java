package org.arca.store.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arca.store.DataDirectory;
import org.arca.store.fs.Fsync;
import org.arca.store.rebuild.IndexRebuilder;
import org.arca.store.rebuild.RebuildResult;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index of a closed data directory from its journal, for the mismatches that
 * re-applying single records cannot fix (rows the journal does not support, attributes that
 * differ). The old file is first moved to {@code index/arca.sqlite.before-rebuild-<millis>} so
 * that an operator can inspect it; then {@link IndexRebuilder}, the same rebuild as
 * {@code arca index rebuild}, builds the new index and renames it into place.
 *
 * <p>The caller holds the data directory's lock and has closed its index.
 */
public final class IndexRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRebuild.class);

    private IndexRebuild() {
    }

    /** Keeps the old index aside, rebuilds a new one from every journal record; returns the kept old file. */
    public static Path rebuildAndReplace(Path dataDirectory, long nowMillis) throws IOException {
        Path current = DataDirectory.indexOf(dataDirectory);
        Path kept = current.resolveSibling(current.getFileName() + ".before-rebuild-" + nowMillis);
        moveWithSidecars(current, kept);

        RebuildResult result;
        try (JournalReader reader = Journal.readDirectory(DataDirectory.journalOf(dataDirectory), 1)) {
            result = IndexRebuilder.rebuildAndReplace(reader, current);
        }
        LOG.warn("Rebuilt the index {} from {} journal records; the old index is kept as {}.", current,
                result.recordsRead(), kept);
        return kept;
    }

    /** Moves an SQLite file and its -wal and -shm files, where they exist. */
    private static void moveWithSidecars(Path file, Path target) throws IOException {
        for (String suffix : new String[] {"-wal", "-shm", ""}) {
            Path source = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(source)) {
                Fsync.moveAtomicallyAndFsync(source, target.resolveSibling(target.getFileName() + suffix));
            }
        }
    }
}
