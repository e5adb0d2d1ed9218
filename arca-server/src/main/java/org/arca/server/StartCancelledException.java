package org.arca.server;

/** A stop request arrived while the node started, so it stopped before accepting connections. */
public final class StartCancelledException extends Exception {

    public StartCancelledException(String message) {
        super(message);
    }
}
