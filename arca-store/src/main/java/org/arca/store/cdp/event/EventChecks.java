package org.arca.store.cdp.event;

import java.io.IOException;
import java.util.Set;

/** Checks of decoded change payloads; a failure names the record and the field. */
final class EventChecks {

    private static final Set<String> LEVELS = Set.of("STUDY", "SERIES", "INSTANCE");

    private EventChecks() {
    }

    static void requirePresent(Object value, String field, long journalSequence, String payloadName)
            throws IOException {
        if (value == null) {
            throw new IOException("Journal record " + journalSequence + " has a " + payloadName + " payload without "
                    + field + "; the record is damaged or was written by an incompatible Arca.");
        }
    }

    static void requireLevel(String level, long journalSequence, String payloadName) throws IOException {
        if (!LEVELS.contains(level)) {
            throw new IOException("Journal record " + journalSequence + " has a " + payloadName
                    + " payload with level '" + level + "'; expected STUDY, SERIES or INSTANCE.");
        }
    }
}
