package org.arca.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code arca index}: commands on the index of a data directory, which is derived from the journal. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Work on the index (index/arca.sqlite), which Arca derives from the journal.",
        subcommands = IndexRebuildCommand.class)
final class IndexCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
