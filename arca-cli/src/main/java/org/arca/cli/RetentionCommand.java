package org.arca.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code arca retention}: the retention commands that work offline on a data directory. */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Reclaim the bytes of instances deleted before the CDP window, offline.",
        subcommands = {RetentionRunCommand.class})
final class RetentionCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
