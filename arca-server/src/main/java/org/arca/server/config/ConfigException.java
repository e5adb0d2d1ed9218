package org.arca.server.config;

/** A configuration value that Arca cannot use; the message names the value and the fix. */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
