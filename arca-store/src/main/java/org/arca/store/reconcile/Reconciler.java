package org.arca.store.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import org.arca.store.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the journal, the index and the blob store of an open data directory and reports
 * every mismatch by kind ({@link MismatchKind}); with repair, fixes what the journal can fix.
 *
 * <ol>
 *   <li>{@link VersionPass}: journal and index rows merged by sequence; each referenced blob
 *       rehashed and parsed once and compared with its record.
 *   <li>{@link HierarchyPass}: the index's patients, studies and series against the journal's view.
 *   <li>{@link OrphanPass}: every blob file against the referenced set; quarantine and grace deletes.
 * </ol>
 *
 * <p>Memory is bounded whatever the archive's size: the referenced set and the journal's view
 * live in a scratch SQLite file ({@link ReconcileScratch}), index rows are read in pages, and
 * the report lists at most {@link ReconcileOptions#maxListedMismatches()} mismatches.
 *
 * <p>Repairs: missing index rows are re-applied through the journal's applier; orphans are
 * quarantined and deleted after the grace period; a missing blob found in quarantine is moved
 * back. Missing or corrupt blobs elsewhere, index rows the journal does not support and index
 * attributes that differ need a copy or an index rebuild and stay reported. Each repair is a
 * {@code RECONCILE_ACTION} journal record. Each run writes its report to {@code reconcile/last.json}.
 *
 * <p>Thread-safety: runs are serialized on this object; a node may keep ingesting meanwhile.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final DataDirectory data;
    private final ReconcileOptions options;
    private final Clock clock;

    public Reconciler(DataDirectory data, ReconcileOptions options, Clock clock) {
        this.data = data;
        this.options = options;
        this.clock = clock;
    }

    /** Returns {@code <data>/reconcile}, where the last report and the scratch files are kept. */
    public static Path directoryOf(Path dataDirectory) {
        return dataDirectory.resolve("reconcile");
    }

    /** Runs the three passes, writes {@code reconcile/last.json} and returns the report. */
    public synchronized ReconcileReport run(ReconcileListener listener) throws IOException {
        long startedAtMillis = clock.millis();
        long lastSequence = data.journal().lastSequence();
        LOG.info("Reconciliation of {} started ({}), up to journal sequence {}.", data.root(),
                options.repair() ? "with repair" : "report only", lastSequence);
        ReportBuilder report = new ReportBuilder(startedAtMillis, options.repair(), options.maxListedMismatches(),
                listener);

        try (ReconcileScratch scratch = ReconcileScratch.create(directoryOf(data.root()).resolve("scratch"))) {
            JournalView view = new JournalView(scratch);
            Quarantine quarantine = new Quarantine(data.blobs(), clock);
            RepairActions actions = new RepairActions(data.repairs(), data.blobs(), clock);

            new VersionPass(data.journal(), data.index(), data.blobs(), data.retention(), scratch, view, quarantine,
                    actions, options, report).run(lastSequence);
            new HierarchyPass(data.index(), view, options.repair(), report).run();
            new OrphanPass(data.journal(), data.blobs(), scratch, quarantine, actions, options, clock, report)
                    .run(lastSequence, startedAtMillis);
        } catch (SQLException e) {
            throw new IOException("Reconciliation of " + data.root() + " failed in its scratch file: "
                    + e.getMessage() + "; check free space under " + directoryOf(data.root()) + ".", e);
        }

        ReconcileReport result = report.build(clock.millis());
        LastReconcile.writeAndFsync(data.root(), result);
        LOG.info("Reconciliation of {} finished: {} journal records, {} index rows, {} blobs; {} mismatches found, "
                + "{} remain.", data.root(), result.journalRecords(), result.indexRows(), result.blobs(),
                result.totalFound(), result.totalRemaining());
        return result;
    }
}
