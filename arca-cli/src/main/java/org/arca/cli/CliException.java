package org.arca.cli;

/** An error the operator can act on; its message names the value and the fix. */
final class CliException extends Exception {

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
