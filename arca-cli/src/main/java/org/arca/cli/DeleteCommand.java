package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca delete}: writes a tombstone for a study, series or instance on the running node. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a study, series or instance on the running node. The delete is a journal record: "
                + "query and retrieve stop showing it at once, the bytes stay, and 'arca undelete' or "
                + "'arca restore' brings it back.")
final class DeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions admin;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private LevelOptions target;

    @Option(names = "--reason", paramLabel = "TEXT", required = true,
            description = "Why; recorded in the journal with your operating-system user name.")
    private String reason;

    @Override
    public Integer call() throws Exception {
        JsonNode result = admin.connect().post("/delete",
                new AdminRequestBodies.LevelChange(target.level().name(), target.uid(), reason));
        ChangeResults.print(spec.commandLine().getOut(), result);
        return 0;
    }
}
