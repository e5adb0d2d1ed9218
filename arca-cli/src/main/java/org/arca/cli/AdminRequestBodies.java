package org.arca.cli;

import java.util.Map;

/** The JSON bodies that the admin commands send; the node's API documents each field. */
final class AdminRequestBodies {

    private AdminRequestBodies() {
    }

    record LevelChange(String level, String uid, String reason) {
    }

    record StudyUpdate(String study, Map<String, String> set, String reason) {
    }

    record Restore(String asOf, String study, boolean dryRun, String reason) {
    }

    record LegalHold(String study, boolean hold, String reason) {
    }
}
