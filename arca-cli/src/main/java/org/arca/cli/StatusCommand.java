package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca status}: what the running node reports about itself. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running node's data directory, DICOM AE title and port, HTTP and admin API ports, "
                + "uptime, journal and index sequences, index counts, staged blobs, the last reconciliation and the "
                + "blob damage findings.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions admin;

    @Override
    public Integer call() throws Exception {
        AdminClient client = admin.connect();
        JsonNode status = client.get("/status");
        long journal = status.path("journalLastSequence").asLong();
        long index = status.path("indexLastAppliedSequence").asLong();

        TextTable table = new TextTable("FIELD", "VALUE");
        table.add("Data directory", status.path("dataDirectory").asText());
        table.add("DICOM", status.path("aeTitle").asText() + " on port " + status.path("dicomPort").asText());
        long httpPort = status.path("httpPort").asLong();
        table.add("HTTP", httpPort == 0 ? "not listening yet" : "port " + httpPort);
        table.add("Admin API", client.adminAddress() + " (loopback only)");
        table.add("Started (UTC)", status.path("started").asText());
        table.add("Uptime", uptime(status.path("uptimeSeconds").asLong()));
        table.add("Accepting writes", status.path("acceptingWrites").asBoolean() ? "yes" : "no (stopping)");
        table.add("Journal last sequence", String.valueOf(journal));
        table.add("Index applied sequence", index + (index < journal ? " (" + (journal - index) + " behind)" : ""));
        for (Iterator<Map.Entry<String, JsonNode>> counts = status.path("counts").fields(); counts.hasNext();) {
            Map.Entry<String, JsonNode> count = counts.next();
            table.add("Index " + count.getKey(), count.getValue().asText());
        }
        table.add("Staged blobs", status.path("stagedBlobs").asLong() + " (" + status.path("stagedBytes").asLong()
                + " bytes) not yet in their own file");
        table.add("Last reconcile", reconcile(status.path("lastReconcile")));
        table.add("Blob damage findings", blobDamage(status.path("blobDamageFindings").asLong(),
                status.path("openBlobDamageFindings").asLong(), status.path("latestBlobDamage")));

        PrintWriter out = spec.commandLine().getOut();
        table.print(out);
        out.flush();
        return 0;
    }

    private static String reconcile(JsonNode summary) {
        if (summary.isMissingNode() || summary.isNull()) {
            return "none recorded";
        }
        if (!summary.path("error").isNull() && !summary.path("error").isMissingNode()) {
            return "unreadable: " + summary.path("error").asText();
        }
        long found = summary.path("mismatchesFound").asLong();
        return "finished " + summary.path("finished").asText() + ", " + found + (found == 1 ? " mismatch" : " mismatches")
                + " found, " + summary.path("mismatchesRemaining").asLong() + " remaining"
                + (summary.path("repair").asBoolean() ? " after repair" : " (report only)")
                + (summary.path("indexRebuildNeeded").asBoolean() ? "; run 'arca index rebuild'" : "");
    }

    private static String blobDamage(long findings, long open, JsonNode latest) {
        if (findings == 0) {
            return "none recorded";
        }
        if (open == 0 || latest.isMissingNode() || latest.isNull()) {
            return findings + " recorded, all repaired since";
        }
        JsonNode damage = latest.path("damage");
        return findings + " recorded, " + open + " open; latest open: SOP Instance "
                + damage.path("sopInstanceUid").asText() + " version " + damage.path("version").asText()
                + ", found by " + damage.path("detectedBy").asText() + " (journal record "
                + latest.path("journalSequence").asText() + "). Storing the instance again from a sender repairs it, "
                + "and so does putting the file back and running 'arca reconcile --repair' with the node stopped. "
                + "'arca verify' (node stopped) lists every damaged blob.";
    }

    private static String uptime(long seconds) {
        return String.format("%dd %02dh %02dm %02ds", seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60,
                seconds % 60);
    }
}
