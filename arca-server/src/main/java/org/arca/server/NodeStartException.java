package org.arca.server;

/** A node could not start for a reason the operator can fix; the message names the value and the fix. */
public final class NodeStartException extends Exception {

    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
