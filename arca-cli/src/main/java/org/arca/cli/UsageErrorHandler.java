package org.arca.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The handler of a wrong option or value: one line, picocli's suggestions for a mistyped option and
 * the way to the help, instead of the whole usage text after it. The exit code stays picocli's code
 * for invalid input (2).
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("arca: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for its options.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }
}
