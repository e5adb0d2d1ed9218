package org.arca.server.admin;

/** Starts a reconciliation of the running node at once, for {@code POST /reconcile}. */
@FunctionalInterface
public interface ReconcileStarter {

    /**
     * Starts a run in the background and returns true, or returns false when a run is in progress
     * already. The run writes its summary where {@code GET /status} reads the last one.
     *
     * @param user the operating-system user who requested it, for the log
     */
    boolean startNow(String user);
}
