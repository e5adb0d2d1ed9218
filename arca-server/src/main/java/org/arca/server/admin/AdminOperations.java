package org.arca.server.admin;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.arca.server.dicom.WriteGate;
import org.arca.store.DataDirectory;
import org.arca.store.cdp.ArchiveChanges;
import org.arca.store.cdp.ChangeAuthor;
import org.arca.store.cdp.ChangeException;
import org.arca.store.cdp.ChangeLevel;
import org.arca.store.cdp.ChangeResult;
import org.arca.store.retention.LegalHold;
import org.arca.store.cdp.HistoryEntry;
import org.arca.store.cdp.RestorePlan;
import org.eclipse.jetty.http.HttpStatus;

/**
 * The work behind each admin endpoint: checks the request, then calls {@link ArchiveChanges}.
 * Every write passes the node's {@link WriteGate}, so a stopping node rejects it and waits for
 * the writes it already started.
 */
final class AdminOperations {

    /** Cap on a user name, reason, UID or value taken from a request. */
    static final int MAX_TEXT_LENGTH = 1024;

    private final DataDirectory data;
    private final WriteGate writeGate;
    private final NodeStatus.NodeFacts facts;
    private final ReconcileStarter reconcile;
    private final Clock clock;

    AdminOperations(DataDirectory data, WriteGate writeGate, NodeStatus.NodeFacts facts, ReconcileStarter reconcile,
            Clock clock) {
        this.data = data;
        this.writeGate = writeGate;
        this.facts = facts;
        this.reconcile = reconcile;
        this.clock = clock;
    }

    NodeStatus status() {
        return NodeStatus.of(data, facts, writeGate.isOpen(), clock.instant());
    }

    /** Starts a reconciliation in the background; 409 when one is running already. */
    AdminResponses.ReconcileStarted reconcile(String user) throws AdminRequestException {
        if (!reconcile.startNow(user)) {
            throw new AdminRequestException(HttpStatus.CONFLICT_409, "A reconciliation is running already; "
                    + "'arca status' shows its result under Last reconcile when it ends.");
        }
        return new AdminResponses.ReconcileStarted(true, "Started a reconciliation of " + data.root()
                + "; 'arca status' shows its result under Last reconcile when it ends, and the node's log lists "
                + "each mismatch.");
    }

    ChangeResult delete(AdminRequests.LevelChange request, String user) throws Exception {
        ChangeLevel level = level(request.level());
        String uid = required("uid", request.uid());
        String reason = required("reason", request.reason());
        ChangeAuthor author = new ChangeAuthor(user, reason);
        return write(() -> data.changes().delete(level, uid, author));
    }

    ChangeResult undelete(AdminRequests.LevelChange request, String user) throws Exception {
        ChangeLevel level = level(request.level());
        String uid = required("uid", request.uid());
        ChangeAuthor author = new ChangeAuthor(user, optional("reason", request.reason()));
        return write(() -> data.changes().undelete(level, uid, author));
    }

    ChangeResult update(AdminRequests.StudyUpdate request, String user) throws Exception {
        String study = required("study", request.study());
        if (request.set() == null || request.set().isEmpty()) {
            throw new AdminRequestException(HttpStatus.BAD_REQUEST_400,
                    "The field 'set' is missing or empty; give at least one DICOM keyword and value, "
                            + "such as {\"PatientID\": \"P-2\"}.");
        }
        for (var entry : request.set().entrySet()) {
            required("set key", entry.getKey());
            optional("set." + entry.getKey(), entry.getValue());
        }
        ChangeAuthor author = new ChangeAuthor(user, optional("reason", request.reason()));
        return write(() -> data.changes().updateStudy(study, request.set(), author));
    }

    ChangeResult legalHold(AdminRequests.LegalHold request, String user) throws Exception {
        String study = required("study", request.study());
        ChangeAuthor author = new ChangeAuthor(user, required("reason", request.reason()));
        return write(() -> data.retention().setLegalHold(study, request.hold(), author));
    }

    List<LegalHold> legalHolds() {
        return data.retention().legalHolds();
    }

    List<HistoryEntry> history(String study) throws Exception {
        String uid = required("study", study);
        return call(() -> data.changes().history(uid));
    }

    AdminResponses.Restore restore(AdminRequests.Restore request, String user) throws Exception {
        Instant asOf = instant(request.asOf());
        String study = request.study() == null ? null : required("study", request.study());
        RestorePlan plan = call(() -> data.changes().planRestore(asOf, study));
        if (request.dryRun()) {
            return new AdminResponses.Restore(true, AdminResponses.Plan.of(plan), null);
        }
        ChangeAuthor author = new ChangeAuthor(user, optional("reason", request.reason()));
        ChangeResult result = write(() -> data.changes().restore(asOf, study, author));
        return new AdminResponses.Restore(false, AdminResponses.Plan.of(plan), result);
    }

    /** A call into {@link ArchiveChanges}. */
    private interface Change<T> {
        T run() throws ChangeException, IOException;
    }

    private <T> T write(Change<T> change) throws Exception {
        if (!writeGate.enter()) {
            throw new AdminRequestException(HttpStatus.SERVICE_UNAVAILABLE_503,
                    "The node is stopping and accepts no changes; run the command again once it has restarted.");
        }
        try {
            return call(change);
        } finally {
            writeGate.exit();
        }
    }

    /** Runs a change and maps a rejection to 404, 400 or 409 with its message. */
    private static <T> T call(Change<T> change) throws Exception {
        try {
            return change.run();
        } catch (ChangeException e) {
            int status = switch (e.reason()) {
                case NOT_FOUND -> HttpStatus.NOT_FOUND_404;
                case INVALID -> HttpStatus.BAD_REQUEST_400;
                case CONFLICT -> HttpStatus.CONFLICT_409;
            };
            throw new AdminRequestException(status, e.getMessage(), e);
        }
    }

    private static ChangeLevel level(String value) throws AdminRequestException {
        String level = required("level", value);
        try {
            return ChangeLevel.valueOf(level.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AdminRequestException(HttpStatus.BAD_REQUEST_400,
                    "The field 'level' is '" + level + "'; use STUDY, SERIES or INSTANCE.");
        }
    }

    private static Instant instant(String value) throws AdminRequestException {
        String text = required("asOf", value);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new AdminRequestException(HttpStatus.BAD_REQUEST_400, "The field 'asOf' is '" + text
                    + "', which is not an ISO-8601 instant; use a UTC time such as 2026-12-04T23:10:00Z.");
        }
    }

    static String required(String field, String value) throws AdminRequestException {
        if (value == null || value.isBlank()) {
            throw new AdminRequestException(HttpStatus.BAD_REQUEST_400,
                    "The field '" + field + "' is missing or blank; give a value.");
        }
        return optional(field, value);
    }

    private static String optional(String field, String value) throws AdminRequestException {
        if (value != null && value.length() > MAX_TEXT_LENGTH) {
            throw new AdminRequestException(HttpStatus.BAD_REQUEST_400, "The field '" + field + "' has "
                    + value.length() + " characters; use at most " + MAX_TEXT_LENGTH + ".");
        }
        return value;
    }
}
