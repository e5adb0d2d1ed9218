package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca restore}: brings the archive, or one study, back to its state at a point in time. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore the archive, or one study, on the running node to its state at a point in time "
                + "inside the retention window. The restore is itself a journal record, so a later restore can "
                + "return to the state before it.")
final class RestoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions admin;

    @Option(names = "--as-of", paramLabel = "TIME", required = true,
            description = "The point in time: an ISO-8601 instant such as 2026-12-04T22:10:00Z, a date-time "
                    + "with an offset such as 2026-12-04T23:10:00+01:00, or a local date-time such as "
                    + "2026-12-04T23:10:00 in the time zone of --zone.")
    private String asOf;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "Time zone of a local --as-of time, such as Europe/Zurich (default: this machine's "
                    + "time zone); the command prints the zone it used.")
    private String zone;

    @Option(names = "--study", paramLabel = "UID", description = "Restore this study only (default: the whole archive).")
    private String study;

    @Option(names = "--dry-run", description = "List what would change, and change nothing.")
    private boolean dryRun;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why; recorded in the journal with your operating-system user name. Required unless "
                    + "--dry-run.")
    private String reason;

    @Override
    public Integer call() throws Exception {
        if (!dryRun && (reason == null || reason.isBlank())) {
            throw new CliException("A restore needs --reason TEXT, which the journal and 'arca history' keep; "
                    + "add it, or use --dry-run to only list what would change.");
        }
        ZoneId zoneId = zoneId();
        Instant instant = AsOfTime.parse(asOf, zoneId);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Restoring %s as of %s (%s in %s)%s.%n", study == null ? "the whole archive" : "study " + study,
                instant, instant.atZone(zoneId).toLocalDateTime(), zoneId, dryRun ? ", dry run" : "");

        JsonNode response = admin.connect().post("/restore",
                new AdminRequestBodies.Restore(instant.toString(), study, dryRun, reason));

        JsonNode plan = response.path("plan");
        out.printf("Journal record as of that time: %d. Changes: %d.%n", plan.path("asOfSequence").asLong(),
                plan.path("changes").size());
        TextTable table = new TextTable("CHANGE", "LEVEL", "UID", "DESCRIPTION");
        for (JsonNode change : plan.path("changes")) {
            table.add(change.path("kind").asText(), change.path("level").asText(), change.path("uid").asText(),
                    change.path("description").asText());
        }
        table.print(out);
        if (dryRun) {
            out.println("Dry run: nothing was changed.");
            out.flush();
        } else {
            ChangeResults.print(out, response.path("result"));
        }
        return 0;
    }

    private ZoneId zoneId() throws CliException {
        try {
            return zone == null || zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new CliException("--zone '" + zone + "' is not a time zone; use a region such as Europe/Zurich, "
                    + "or UTC.", e);
        }
    }
}
