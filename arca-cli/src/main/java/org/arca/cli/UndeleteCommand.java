package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca undelete}: makes a deleted study, series or instance visible again on the running node. */
@Command(name = "undelete", mixinStandardHelpOptions = true,
        description = "Undelete a study, series or instance on the running node, within the retention window.")
final class UndeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions admin;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private LevelOptions target;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why; recorded in the journal with your operating-system user name.")
    private String reason;

    @Override
    public Integer call() throws Exception {
        JsonNode result = admin.connect().post("/undelete",
                new AdminRequestBodies.LevelChange(target.level().name(), target.uid(), reason));
        ChangeResults.print(spec.commandLine().getOut(), result);
        return 0;
    }
}
