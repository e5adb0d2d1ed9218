package org.arca.store.verify;

/** Receives what a verification finds, as it finds it, so that long runs show progress. */
public interface VerifyListener {

    /** A mismatch or defect, in one sentence with the SOP Instance UID and path where known. */
    void problem(String description);

    /** A note on what is being checked. */
    default void progress(String description) {
    }
}
