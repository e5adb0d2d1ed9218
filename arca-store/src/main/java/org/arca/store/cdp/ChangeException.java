package org.arca.store.cdp;

/** A change that was rejected before anything was written; the message names the value and the fix. */
public final class ChangeException extends Exception {

    /** Why the change was rejected, so that callers can map it to a status (HTTP 404, 400, 409). */
    public enum Reason {
        NOT_FOUND,
        INVALID,
        CONFLICT
    }

    private final Reason reason;

    public ChangeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
