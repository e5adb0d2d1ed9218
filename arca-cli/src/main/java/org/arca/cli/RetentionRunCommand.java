package org.arca.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.arca.server.config.ArcaConfig;
import org.arca.server.config.ConfigLoader;
import org.arca.store.DataDirectory;
import org.arca.store.retention.ReclaimCandidate;
import org.arca.store.retention.RetentionPolicy;
import org.arca.store.retention.RetentionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca retention run}: one retention run on a data directory that no node has open. It
 * takes the directory's lock like a node, so it rejects a directory in use.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Reclaim the blobs of instances deleted before the CDP window (none under legal hold), "
                + "journaling each reclaim first, and write an index checkpoint when one is due. Lists each blob. "
                + "Needs the data directory to itself: stop the node first, which runs retention on its own "
                + "schedule.")
final class RetentionRunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file to read the data directory and retention.cdpWindowDays from.")
    private Path configFile;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: the configuration's, else arca-data in the working directory).")
    private Path dataDirectory;

    @Option(names = "--cdp-window-days", paramLabel = "DAYS",
            description = "CDP window in days; overrides the configuration (default: 30).")
    private Integer cdpWindowDays;

    @Option(names = "--dry-run", description = "List what would be reclaimed; write and remove nothing.")
    private boolean dryRun;

    @Override
    public Integer call() throws Exception {
        ArcaConfig config = ConfigLoader.load(configFile, new ArcaConfig(dataDirectory, null, null, null, null, null,
                new ArcaConfig.Retention(cdpWindowDays, null, null), null));
        Path data = config.dataDirectory();
        DataDirectories.requireExisting(data);
        requireUnlocked(data);
        RetentionPolicy policy = config.retention().policy();

        RetentionReport report;
        try (DataDirectory directory = DataDirectory.openForWriting(data, Clock.systemUTC())) {
            report = directory.retention().run(policy, true, dryRun);
        }
        print(report, policy);
        return 0;
    }

    /** Rejects a directory whose lock a node holds, before opening anything, with the fix in the message. */
    private static void requireUnlocked(Path data) throws CliException {
        if (DataDirectories.heldByRunningNode(data)) {
            throw inUse(data, DataDirectory.lockFileOf(data));
        }
    }

    private static CliException inUse(Path data, Path lockFile) {
        return new CliException("Data directory " + data + " is in use by a running Arca node, which has locked "
                + lockFile + ". The node runs retention itself every retention.runIntervalMinutes; stop it to run retention "
                + "offline.");
    }

    private void print(RetentionReport report, RetentionPolicy policy) {
        PrintWriter out = spec.commandLine().getOut();
        String verb = report.dryRun() ? "Would reclaim" : "Reclaimed";
        for (ReclaimCandidate candidate : report.reclaimed()) {
            out.printf("%s blob %s (%d bytes) of Study %s%n", verb, candidate.blobSha256(), candidate.sizeBytes(),
                    String.join(", ", candidate.studyInstanceUids()));
        }
        out.printf("%s %d blobs (%d bytes) deleted before %s (CDP window of %d days).%n", verb,
                report.reclaimed().size(), report.reclaimedBytes(), report.windowStart(), policy.cdpWindow().toDays());
        out.printf("Kept: %d deleted inside the window, %d under legal hold, %d also used by a visible version; "
                + "%d already missing (see the log).%n", report.keptForWindow(), report.keptForLegalHold(),
                report.keptForVisibleVersion(), report.missing());
        if (report.checkpoint() != null) {
            out.printf("Wrote checkpoint %s at journal sequence %d.%n", report.checkpoint().snapshotFileName(),
                    report.checkpoint().journalSequence());
        }
        out.flush();
    }
}
