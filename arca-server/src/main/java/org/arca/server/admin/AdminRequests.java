package org.arca.server.admin;

import java.util.Map;

/** The JSON bodies of the admin API's POST requests. Unknown fields are rejected. */
final class AdminRequests {

    private AdminRequests() {
    }

    /**
     * {@code POST /delete} and {@code POST /undelete}.
     *
     * @param level STUDY, SERIES or INSTANCE (any case)
     * @param uid the Study, Series or SOP Instance UID at that level
     * @param reason why; required for a delete
     */
    record LevelChange(String level, String uid, String reason) {
    }

    /**
     * {@code POST /update}.
     *
     * @param study the Study Instance UID
     * @param set DICOM keyword to new value, such as {@code PatientID: "P-2"}
     * @param reason why, or null
     */
    record StudyUpdate(String study, Map<String, String> set, String reason) {
    }

    /**
     * {@code POST /restore}.
     *
     * @param asOf the point in time as an ISO-8601 instant, such as {@code 2026-12-04T23:10:00Z}
     * @param study one Study Instance UID, or null for the whole archive
     * @param dryRun true to list the changes without making them
     * @param reason why, or null
     */
    record Restore(String asOf, String study, boolean dryRun, String reason) {
    }

    /**
     * {@code POST /legal-hold}.
     *
     * @param study the Study Instance UID
     * @param hold true to put the study under legal hold, false to release it
     * @param reason why; required
     */
    record LegalHold(String study, boolean hold, String reason) {
    }
}
