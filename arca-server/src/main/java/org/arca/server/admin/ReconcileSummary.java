package org.arca.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * The last reconciliation of journal, index and blob store, summarised from the report that
 * {@code arca reconcile} and the node's scheduled runs write to {@code <data>/reconcile/last.json}
 * (format {@value #MAGIC}, version 1).
 *
 * @param finished when the run finished, as an ISO-8601 instant, or null when the report is unreadable
 * @param repair whether the run repaired what it could
 * @param mismatchesFound mismatches found, over all kinds
 * @param mismatchesRemaining mismatches still there after the run
 * @param indexRebuildNeeded whether a remaining mismatch needs the index rebuilt from the journal
 * @param error why the report could not be read, or null
 */
public record ReconcileSummary(String finished, boolean repair, long mismatchesFound, long mismatchesRemaining,
        boolean indexRebuildNeeded, String error) {

    static final String MAGIC = "arca-reconcile-report";
    private static final int FORMAT_VERSION = 1;

    /** The same cap as the reconciler's own reader of the report. */
    private static final long MAX_REPORT_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path reportFileOf(Path dataDirectory) {
        return dataDirectory.resolve("reconcile").resolve("last.json");
    }

    /** Reads the summary of the last run; null when no run has written a report. */
    static ReconcileSummary readOrNull(Path dataDirectory) {
        // TODO: read through org.arca.store.reconcile.LastReconcile once the reconciler is merged.
        Path file = reportFileOf(dataDirectory);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            long size = Files.size(file);
            if (size > MAX_REPORT_BYTES) {
                return unreadable(file + " has " + size + " bytes, more than the " + MAX_REPORT_BYTES + " allowed");
            }
            JsonNode report = JSON.readTree(file.toFile());
            if (!MAGIC.equals(report.path("magic").asText()) || report.path("formatVersion").asInt() != FORMAT_VERSION) {
                return unreadable(file + " is not a reconcile report of format '" + MAGIC + "' version "
                        + FORMAT_VERSION);
            }
            return new ReconcileSummary(Instant.ofEpochMilli(report.path("finishedAtMillis").asLong()).toString(),
                    report.path("repair").asBoolean(), sum(report.path("found")), sum(report.path("remaining")),
                    report.path("indexRebuildNeeded").asBoolean(), null);
        } catch (IOException e) {
            return unreadable("Reading " + file + " failed: " + e.getMessage());
        }
    }

    private static ReconcileSummary unreadable(String error) {
        return new ReconcileSummary(null, false, 0, 0, false, error);
    }

    private static long sum(JsonNode countsByKind) {
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> counts = countsByKind.fields(); counts.hasNext();) {
            total += counts.next().getValue().asLong();
        }
        return total;
    }
}
