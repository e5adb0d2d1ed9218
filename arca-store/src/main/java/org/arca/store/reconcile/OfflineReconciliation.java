package org.arca.store.reconcile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.arca.store.DataDirectory;
import org.arca.store.fs.Fsync;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.rebuild.IndexRebuilder;

/**
 * A reconciliation of a data directory that no node runs on, as {@code arca reconcile} runs it.
 * With repair, when mismatches remain that only an index rebuild fixes, it rebuilds the index
 * from the journal ({@link IndexRebuild}), journals that, and reconciles again.
 */
public final class OfflineReconciliation {

    /** Receives the report of each run: the first, and the one after an index rebuild. */
    @FunctionalInterface
    public interface ReportConsumer {
        void accept(ReconcileReport report, String heading);
    }

    private OfflineReconciliation() {
    }

    /**
     * Opens the data directory for writing (which fails while a node holds {@code arca.lock}),
     * reconciles, and rebuilds the index when needed; returns the last report.
     */
    public static ReconcileReport run(Path dataDirectory, ReconcileOptions options, Clock clock,
            ReconcileListener listener, ReportConsumer reports) throws IOException {
        ReconcileReport first;
        try (DataDirectory data = DataDirectory.openForWriting(dataDirectory, clock)) {
            first = new Reconciler(data, options, clock).run(listener);
        }
        reports.accept(first, "Reconciliation");
        if (!options.repair() || !first.indexRebuildNeeded()) {
            return first;
        }

        Path kept = rebuildIndexUnderLock(dataDirectory, clock);
        try (DataDirectory data = DataDirectory.openForWriting(dataDirectory, clock)) {
            journalIndexRebuild(data, kept, clock);
            ReconcileReport second = new Reconciler(data, options, clock).run(listener);
            reports.accept(second, "Reconciliation after rebuilding the index from the journal");
            return second;
        }
    }

    private static Path rebuildIndexUnderLock(Path dataDirectory, Clock clock) throws IOException {
        Path lockFile = dataDirectory.resolve("arca.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IOException("A node started on " + dataDirectory + " during the reconciliation, so the "
                        + "index was not rebuilt; stop the node and run 'arca reconcile --repair' again.");
            }
            if (Journal.firstSegmentSequence(DataDirectory.journalOf(dataDirectory)) > 1) {
                return rebuildFromCheckpoint(dataDirectory, clock.millis());
            }
            return IndexRebuild.rebuildAndReplace(dataDirectory, clock.millis());
        }
    }

    /**
     * Rebuilds the index of a compacted journal from its newest intact checkpoint, keeping a copy of
     * the old index (with its write-ahead log) as {@code arca.sqlite.before-rebuild-<millis>}.
     */
    private static Path rebuildFromCheckpoint(Path dataDirectory, long nowMillis) throws IOException {
        Path current = DataDirectory.indexOf(dataDirectory);
        Path kept = current.resolveSibling(current.getFileName() + ".before-rebuild-" + nowMillis);
        for (String suffix : new String[] {"-wal", "-shm", ""}) {
            Path source = current.resolveSibling(current.getFileName() + suffix);
            if (Files.exists(source)) {
                Path copy = kept.resolveSibling(kept.getFileName() + suffix);
                Files.copy(source, copy);
                Fsync.fsyncFile(copy);
            }
        }
        Fsync.fsyncDirectory(current.getParent());
        Path journal = DataDirectory.journalOf(dataDirectory);
        IndexRebuilder.rebuildFromCheckpointAndReplace(dataDirectory, Journal.firstSegmentSequence(journal),
                Long.MAX_VALUE, from -> Journal.readDirectory(journal, from), current);
        return kept;
    }

    private static void journalIndexRebuild(DataDirectory data, Path kept, Clock clock) throws IOException {
        ReconcileAction action = new ReconcileAction(ReconcileAction.FORMAT_VERSION, ReconcileAction.INDEX_REBUILT,
                null, 0, null, 0, "The index disagreed with the journal; the old index is kept as " + kept + ".",
                clock.millis());
        data.repairs().appendIndexNeutralAndForce(JournalRecordTypes.RECONCILE_ACTION, action.toJsonBytes());
    }
}
