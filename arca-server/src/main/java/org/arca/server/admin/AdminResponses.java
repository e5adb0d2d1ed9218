package org.arca.server.admin;

import java.util.List;
import org.arca.store.cdp.ChangeResult;
import org.arca.store.cdp.HistoryEntry;
import org.arca.store.cdp.PlannedChange;
import org.arca.store.cdp.RestorePlan;

/** The JSON bodies of the admin API's responses. Times are ISO-8601 instants in UTC. */
final class AdminResponses {

    private AdminResponses() {
    }

    /** The body of every error response. */
    /** The response to {@code POST /reconcile}. */
    record ReconcileStarted(boolean started, String message) {
    }

    record Error(int status, String error) {
    }

    /** {@code GET /history}: the changes of one study, oldest first. */
    record History(String study, List<HistoryItem> entries) {

        static History of(String study, List<HistoryEntry> entries) {
            return new History(study, entries.stream().map(HistoryItem::of).toList());
        }
    }

    record HistoryItem(long journalSequence, String time, String kind, String user, String reason,
            String description) {

        static HistoryItem of(HistoryEntry entry) {
            return new HistoryItem(entry.journalSequence(), String.valueOf(entry.time()), entry.kind(), entry.user(),
                    entry.reason(), entry.description());
        }
    }

    /**
     * {@code POST /restore}: the plan, and the result once made; {@code result} is null for a dry run.
     */
    record Restore(boolean dryRun, Plan plan, ChangeResult result) {
    }

    record Plan(String asOf, long asOfSequence, String study, List<PlannedChange> changes) {

        static Plan of(RestorePlan plan) {
            return new Plan(String.valueOf(plan.asOf()), plan.asOfSequence(), plan.studyInstanceUid(),
                    plan.changes());
        }
    }
}
