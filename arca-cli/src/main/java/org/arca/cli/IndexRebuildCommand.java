package org.arca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.arca.store.DataDirectory;
import org.arca.store.rebuild.OfflineIndexRebuild;
import org.arca.store.rebuild.RebuildResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca index rebuild}: rebuilds the index from the journal, offline. With {@code --as-of} it
 * writes the index as of that time to a separate file and leaves the live index as it is.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Rebuild the index of a stopped node from its journal and replace index/arca.sqlite.",
            "With --as-of, write the index as of that time to --output instead; the live index is not changed,"
                    + " because a node always brings it up to the end of the journal when it starts.",
            "Refused while a node holds the data directory (arca.lock): stop the node first."})
final class IndexRebuildCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "arca-data",
            description = "Data directory (default: ${DEFAULT-VALUE} in the working directory).")
    private Path dataDirectory;

    @Option(names = "--as-of", paramLabel = "TIME",
            description = "Apply only the journal records up to TIME: an ISO-8601 instant (2026-12-04T10:15:30Z,"
                    + " 2026-12-04T11:15:30+01:00) or a local date-time (2026-12-04T10:15:30) in the time zone of"
                    + " this machine.")
    private String asOf;

    @Option(names = "--output", paramLabel = "FILE",
            description = "New SQLite file for the --as-of index; must not exist. Required with --as-of.")
    private Path output;

    @Override
    public Integer call() throws Exception {
        DataDirectories.requireExisting(dataDirectory);
        PrintWriter out = spec.commandLine().getOut();
        if (asOf == null) {
            if (output != null) {
                throw new CliException("--output is only used with --as-of; without it the rebuild replaces "
                        + DataDirectory.indexOf(dataDirectory) + ".");
            }
            printRebuilt(out, operatorError(() -> OfflineIndexRebuild.rebuild(dataDirectory)));
            return 0;
        }
        if (output == null) {
            throw new CliException("--as-of needs --output FILE: a node brings the live index up to the end of the"
                    + " journal when it starts, so a point-in-time index goes to a separate file.");
        }
        Instant time = AsOfTime.parse(asOf, ZoneId.systemDefault());
        RebuildResult result = operatorError(
                () -> OfflineIndexRebuild.rebuildAsOf(dataDirectory, time, output));
        printAsOf(out, time, result);
        return 0;
    }

    /** A rebuild that may fail with an I/O error whose message names the value and the fix. */
    @FunctionalInterface
    private interface Rebuild {
        RebuildResult run() throws IOException;
    }

    /** Runs the rebuild and turns its I/O error into a one-line message without a stack trace. */
    private static RebuildResult operatorError(Rebuild rebuild) throws CliException {
        try {
            return rebuild.run();
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    private void printRebuilt(PrintWriter out, RebuildResult result) {
        out.printf("Rebuilt index %s from %d journal records (sequences 1 to %d) in %.1f s, %.0f records per"
                + " second.%n", result.indexFile(), result.recordsRead(), result.lastSequence(),
                result.duration().toMillis() / 1000.0, result.recordsPerSecond());
        out.flush();
    }

    private void printAsOf(PrintWriter out, Instant time, RebuildResult result) {
        out.printf("Wrote the index as of %s to %s: journal records 1 to %d, the last one from %s. The live index"
                + " %s is unchanged.%n", time + " (local times read in " + ZoneId.systemDefault() + ")", result.indexFile(), result.lastSequence(),
                result.lastRecordTime().map(Object::toString).orElse("(none: no record is that old)"),
                DataDirectory.indexOf(dataDirectory));
        out.flush();
    }
}
