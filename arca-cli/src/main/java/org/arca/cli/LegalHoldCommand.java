package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arca legal-hold}: puts a study under legal hold, releases it, or lists the holds. */
@Command(name = "legal-hold", mixinStandardHelpOptions = true,
        description = "Put a study under legal hold on the running node, so that retention never reclaims its "
                + "bytes, release it with --release, or list the holds with --list.")
final class LegalHoldCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions admin;

    @Option(names = "--study", paramLabel = "UID", description = "Study Instance UID.")
    private String study;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why; recorded in the journal with your operating-system user name.")
    private String reason;

    @Option(names = "--release", description = "Release the hold instead of setting it.")
    private boolean release;

    @Option(names = "--list", description = "List the studies under legal hold.")
    private boolean list;

    @Override
    public Integer call() throws Exception {
        if (list) {
            return listHolds();
        }
        if (study == null || reason == null || reason.isBlank()) {
            throw new CliException("arca legal-hold needs --study UID and --reason TEXT (or --list to show the "
                    + "holds); for example: arca legal-hold --study 1.2.3 --reason 'litigation 2026-17'.");
        }
        JsonNode result = admin.connect().post("/legal-hold",
                new AdminRequestBodies.LegalHold(study, !release, reason));
        ChangeResults.print(spec.commandLine().getOut(), result);
        return 0;
    }

    private int listHolds() throws CliException {
        JsonNode holds = admin.connect().get("/legal-holds");
        TextTable table = new TextTable("STUDY", "SINCE (UTC)", "USER", "REASON", "SEQUENCE");
        for (JsonNode hold : holds) {
            table.add(hold.path("studyInstanceUid").asText(),
                    Instant.ofEpochMilli(hold.path("heldAtMillis").asLong()).toString(), hold.path("user").asText(),
                    hold.path("reason").asText(), hold.path("journalSequence").asText());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%d studies under legal hold%n", holds.size());
        table.print(out);
        out.flush();
        return 0;
    }
}
