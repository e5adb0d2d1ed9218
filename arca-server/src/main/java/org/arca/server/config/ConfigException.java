package org.arca.server.config;

/** A configuration value that Arca cannot use; the message names the value and the fix. */
public final class ConfigException extends Exception {

    /** The dotted key of the rejected value, such as {@code dicom.port}, or null when the message names none. */
    private final String key;

    public ConfigException(String message) {
        this(message, null, null);
    }

    public ConfigException(String message, Throwable cause) {
        this(message, null, cause);
    }

    private ConfigException(String message, String key, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /**
     * Creates the exception for the value of one key, so that the loader can quote the file's line
     * that sets it.
     *
     * @param key the dotted key, optionally followed by a space and the command-line option in
     *     parentheses, as in {@code dicom.port (--dicom-port)}. A list index is written {@code [0]}.
     */
    static ConfigException atKey(String key, String message) {
        int space = key.indexOf(' ');
        return new ConfigException(message, space < 0 ? key : key.substring(0, space), null);
    }

    /** Returns the dotted key of the rejected value, or null. */
    String key() {
        return key;
    }
}
