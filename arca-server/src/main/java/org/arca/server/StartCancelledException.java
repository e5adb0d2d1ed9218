package org.arca.server;

/** The node was asked to stop while it started, so it stopped before accepting connections. */
public final class StartCancelledException extends Exception {

    public StartCancelledException(String message) {
        super(message);
    }
}
