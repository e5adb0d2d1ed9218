package org.arca.store.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arca.store.DataDirectory;
import org.arca.store.fs.Fsync;
import org.arca.store.index.Index;
import org.arca.store.ingest.JournalRecordApplier;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index of a closed data directory from its journal, for the mismatches that
 * re-applying single records cannot fix (rows the journal does not support, attributes that
 * differ). Every record goes through {@link JournalRecordApplier}, as at a live ingest. The new
 * index is built beside the old one and renamed into place; the old file is kept as
 * {@code index/arca.sqlite.before-rebuild-<millis>} so that an operator can inspect it.
 *
 * <p>The caller holds the data directory's lock and has closed its index.
 */
public final class IndexRebuild {

    // TODO: use the index rebuild of 'arca index rebuild' here once it exists, so there is one rebuild.

    private static final Logger LOG = LoggerFactory.getLogger(IndexRebuild.class);

    private IndexRebuild() {
    }

    /** Builds a new index from every journal record and renames it over the old one; returns the kept old file. */
    public static Path rebuildAndReplace(Path dataDirectory, long nowMillis) throws IOException {
        Path current = DataDirectory.indexOf(dataDirectory);
        Path workDirectory = current.resolveSibling("rebuild");
        deleteTree(workDirectory);
        Path rebuilt = workDirectory.resolve(current.getFileName());

        long records = 0;
        try (Index index = Index.open(rebuilt);
                JournalReader reader = Journal.readDirectory(DataDirectory.journalOf(dataDirectory), 1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                JournalRecordApplier.changeOf(record).applyTo(index);
                records++;
            }
        }
        Fsync.fsyncFile(rebuilt);

        Path kept = current.resolveSibling(current.getFileName() + ".before-rebuild-" + nowMillis);
        moveWithSidecars(current, kept);
        Fsync.moveAtomicallyAndFsync(rebuilt, current);
        deleteTree(workDirectory);
        LOG.warn("Rebuilt the index {} from {} journal records; the old index is kept as {}.", current, records, kept);
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

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
