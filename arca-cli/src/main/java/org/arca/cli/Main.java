package org.arca.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code arca} command: runs a node, the operator commands that work on a data directory, and the DICOM
 * client commands (echo, find, move, get). */
@Command(name = "arca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Arca, a DICOM archive built for zero data loss.",
        subcommands = {ServeCommand.class, VerifyCommand.class, ReconcileCommand.class, ListCommand.class,
                ExportCommand.class, EchoCommand.class, FindCommand.class, MoveCommand.class, GetCommand.class,
                DeleteCommand.class, UndeleteCommand.class, UpdateCommand.class, HistoryCommand.class,
                RestoreCommand.class, StatusCommand.class,
                RetentionCommand.class, LegalHoldCommand.class, IndexCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, for tests and for {@link #main}. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
