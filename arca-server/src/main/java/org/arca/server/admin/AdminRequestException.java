package org.arca.server.admin;

/** A request that the admin API rejects with an error status; the message is sent to the caller. */
final class AdminRequestException extends Exception {

    private final int status;

    AdminRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    AdminRequestException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** Returns the HTTP status code of the response. */
    int status() {
        return status;
    }
}
