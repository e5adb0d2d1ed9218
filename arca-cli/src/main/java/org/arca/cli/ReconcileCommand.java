package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arca.store.DataDirectory;
import org.arca.store.reconcile.Mismatch;
import org.arca.store.reconcile.MismatchKind;
import org.arca.store.reconcile.OfflineReconciliation;
import org.arca.store.reconcile.ReconcileListener;
import org.arca.store.reconcile.ReconcileOptions;
import org.arca.store.reconcile.ReconcileReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca reconcile}: compares journal, index and blob store of a stopped node's data
 * directory, prints each mismatch grouped by kind, and with {@code --repair} fixes what the
 * journal can fix. Exit 0 when nothing remains, 1 otherwise.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Compare the journal, the index and the blob store of a data directory whose node is "
                + "stopped; print every mismatch grouped by kind. With --repair, re-apply missing index rows from "
                + "the journal (rebuilding the index when rows disagree), move orphaned blobs to blobs/quarantine/, "
                + "and close the damage findings of blobs that hash to their SHA-256 again. Exits 1 when mismatches "
                + "remain. With --live, ask the running node to start its own reconciliation now instead.")
final class ReconcileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "arca-data",
            description = "Data directory to reconcile (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(names = "--repair", description = "Repair what the journal can fix, quarantine orphaned blobs, "
            + "delete quarantined orphans older than the grace period, and close the damage findings of blobs that "
            + "are intact again.")
    private boolean repair;

    @Option(names = "--grace-days", paramLabel = "DAYS", defaultValue = "7",
            description = "Days a quarantined orphan is kept before --repair deletes it (default: ${DEFAULT-VALUE}).")
    private int graceDays;

    @Option(names = "--live", description = "Ask the node running on --data to start a reconciliation now, while "
            + "it keeps serving (report-only unless its reconcile.repair is true); 'arca status' shows the result "
            + "under Last reconcile when it ends.")
    private boolean live;

    @Override
    public Integer call() throws Exception {
        if (live) {
            return startOnRunningNode();
        }
        DataDirectories.requireExisting(dataDirectory);
        if (graceDays < 0) {
            throw new CliException("--grace-days is " + graceDays + "; pass 0 or more days.");
        }
        requireNoRunningNode(dataDirectory);
        PrintWriter out = spec.commandLine().getOut();
        ReconcileOptions options = ReconcileOptions.offline(repair).withQuarantineGrace(Duration.ofDays(graceDays));

        ReconcileReport report = OfflineReconciliation.run(dataDirectory, options, Clock.systemUTC(),
                ReconcileListener.NONE, (result, heading) -> print(result, heading, out));
        return report.isClean() ? 0 : ErrorHandler.EXIT_FAILURE;
    }

    /**
     * Asks the running node to start a reconciliation. Its repair setting and grace period come from the
     * node's configuration, so the offline options are rejected here rather than ignored.
     */
    private int startOnRunningNode() throws CliException {
        if (repair || spec.commandLine().getParseResult().hasMatchedOption("--grace-days")) {
            throw new CliException("--live uses the node's own reconcile.repair and reconcile.quarantineGraceDays "
                    + "settings; leave out --repair and --grace-days, or stop the node and run 'arca reconcile' "
                    + "without --live.");
        }
        JsonNode started = AdminClient.connect(dataDirectory).post("/reconcile", Map.of());
        PrintWriter out = spec.commandLine().getOut();
        out.println(started.path("message").asText());
        out.flush();
        return 0;
    }

    /** Refuses to run beside a node: the node holds {@code arca.lock} while it runs. */
    private static void requireNoRunningNode(Path dataDirectory) throws CliException {
        if (DataDirectories.heldByRunningNode(dataDirectory)) {
            throw new CliException("Data directory " + dataDirectory + " is in use by a running Arca node (it "
                    + "holds " + DataDirectory.lockFileOf(dataDirectory) + "); 'arca reconcile' runs only while no "
                    + "node runs. Stop the node and run it again. A running node reconciles every "
                    + "reconcile.intervalHours hours unless that key is 0.");
        }
    }

    private static void print(ReconcileReport report, String heading, PrintWriter out) {
        out.println(heading + (report.repair() ? " with repair" : "") + " of the journal, the index and the blobs:");
        for (MismatchKind kind : MismatchKind.values()) {
            long found = report.found().getOrDefault(kind, 0L);
            if (found == 0) {
                continue;
            }
            out.printf("%s %s: %d found, %d remaining%n", kind, kind.heading(), found,
                    report.remaining().getOrDefault(kind, 0L));
            for (Mismatch mismatch : report.mismatches()) {
                if (mismatch.kind() == kind) {
                    out.println("  " + mismatch.describe());
                }
            }
        }
        if (report.truncated()) {
            out.printf("Only the first %d mismatches are listed.%n", report.mismatches().size());
        }
        out.printf("Checked: journal records: %d (stored versions: %d), index rows: %d, blobs: %d.%n",
                report.journalRecords(), report.storedVersions(), report.indexRows(), report.blobs());
        out.println(report.isClean()
                ? "Reconciled: " + (report.totalFound() == 0 ? "no mismatch." : "every mismatch was repaired.")
                : "MISMATCHES: " + report.totalRemaining() + " remain of " + report.totalFound() + " found.");
        out.flush();
    }
}
