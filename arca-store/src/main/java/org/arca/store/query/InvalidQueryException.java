package org.arca.store.query;

/**
 * Thrown for an identifier that the information model does not allow: an unknown or missing
 * Query/Retrieve Level, or a missing unique key above it. The message is meant for the Error
 * Comment of the failure response.
 */
public final class InvalidQueryException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidQueryException(String message) {
        super(message);
    }
}
