package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca history}: the journaled changes of one study, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show every journaled change of a study on the running node: stores, deletes, undeletes, "
                + "updates and restores, with time (UTC), user and reason, and the damage findings (DAMAGED) and "
                + "repairs (REPAIRED) of its blobs.")
final class HistoryCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions admin;

    @Option(names = "--study", paramLabel = "UID", required = true, description = "Study Instance UID.")
    private String study;

    @Override
    public Integer call() throws Exception {
        if (study.isBlank()) {
            throw new CliException("--study is empty; pass a Study Instance UID ('arca list' shows the stored studies).");
        }
        JsonNode history = admin.connect().get("/history", "study", study);
        TextTable table = new TextTable("SEQUENCE", "TIME (UTC)", "KIND", "USER", "REASON", "DESCRIPTION");
        for (JsonNode entry : history.path("entries")) {
            table.add(entry.path("journalSequence").asText(), entry.path("time").asText(),
                    entry.path("kind").asText(), entry.path("user").asText(), entry.path("reason").asText(),
                    entry.path("description").asText());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("History of study %s (%d entries)%n", study, history.path("entries").size());
        table.print(out);
        out.flush();
        return 0;
    }
}
