package org.arca.server.admin;

/** The admin token file is missing, unreadable, not a token, or open to other users; the message names the fix. */
public final class AdminTokenException extends Exception {

    public AdminTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
