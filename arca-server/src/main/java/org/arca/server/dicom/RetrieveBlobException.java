package org.arca.server.dicom;

/** A stored blob that cannot be sent: missing, unreadable, not matching its SHA-256, or not a Part 10 file. */
final class RetrieveBlobException extends Exception {

    /** Why the blob cannot be sent; CORRUPT and MISSING need a repair from another copy. */
    enum Reason { MISSING, CORRUPT, UNREADABLE, NOT_PART10 }

    private final Reason reason;

    RetrieveBlobException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }

    boolean needsRepair() {
        return reason == Reason.MISSING || reason == Reason.CORRUPT;
    }
}
