package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints the outcome of a change that the node made durable. */
final class ChangeResults {

    private ChangeResults() {
    }

    static void print(PrintWriter out, JsonNode result) {
        out.printf("%s%n", result.path("summary").asText());
        out.printf("Instances affected: %d; journal record %d.%n", result.path("instancesAffected").asLong(),
                result.path("journalSequence").asLong());
        out.flush();
    }
}
