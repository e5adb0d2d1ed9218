package org.arca.store.ingest;

/**
 * An ingest that did not complete; nothing of it was acknowledged or left visible.
 * The reason decides which failure status the network layer sends.
 */
public final class IngestException extends Exception {

    /** The cause of a failed ingest, in the categories that map to DIMSE failure statuses. */
    public enum Reason {
        /** The dataset could not be parsed, or a UID in it is invalid. */
        INVALID_DATASET,
        /** The dataset parsed but does not match the request (SOP Class or Instance UID). */
        DATASET_MISMATCH,
        /** The data volume is full. */
        NO_SPACE,
        /** Writing or forcing the data failed. */
        IO_ERROR
    }

    private final Reason reason;

    public IngestException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public IngestException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
