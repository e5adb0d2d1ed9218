package org.arca.cli;

import java.util.Set;
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

    /** The system property that the logback configuration reads for the root log level. */
    static final String LOG_LEVEL_PROPERTY = "arca.log.level";

    /**
     * Commands whose results go to standard output, where their INFO lines (index opened, journal recovered)
     * would interleave with the results on a terminal. They log warnings and errors only, unless the operator
     * sets {@code -Darca.log.level=INFO}.
     */
    private static final Set<String> QUIET_COMMANDS = Set.of("list", "export", "verify", "reconcile");

    public static void main(String[] args) {
        quietLogByDefault(args);
        System.exit(run(args));
    }

    /**
     * Sets the default log level of a quiet command to WARN. It must run before the first logger exists,
     * because logback reads the property once, when it configures itself. {@link #run} does not call it, so
     * tests that run commands inside their own JVM keep their log level.
     */
    private static void quietLogByDefault(String[] args) {
        if (args.length > 0 && QUIET_COMMANDS.contains(args[0]) && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "WARN");
        }
    }

    /** Runs the command line and returns its exit code, for tests and for {@link #main}. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Builds the command line with its error handler and settings, writing to standard output and error. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        shareVersionProvider(commandLine);
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    /**
     * Gives every subcommand the version of the top command: their {@code --version} option comes with
     * the standard help options, and without a provider it prints nothing.
     */
    private static void shareVersionProvider(CommandLine commandLine) {
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            if (subcommand.getCommandSpec().versionProvider() == null) {
                subcommand.getCommandSpec().versionProvider(new VersionProvider());
            }
            shareVersionProvider(subcommand);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
