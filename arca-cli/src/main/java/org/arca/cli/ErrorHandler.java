package org.arca.cli;

import org.arca.server.NodeStartException;
import org.arca.server.config.ConfigException;
import picocli.CommandLine;

/**
 * Prints an operator-facing error: one line that names what failed and what to do, without a
 * stack trace for the errors an operator can fix. Exit code 2 for configuration errors, 1 otherwise.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_CONFIG = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (e instanceof ConfigException) {
            commandLine.getErr().println("arca: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (e instanceof CliException || e instanceof NodeStartException) {
            commandLine.getErr().println("arca: " + e.getMessage());
            return EXIT_FAILURE;
        }
        commandLine.getErr().println("arca: " + e);
        e.printStackTrace(commandLine.getErr());
        return EXIT_FAILURE;
    }
}
