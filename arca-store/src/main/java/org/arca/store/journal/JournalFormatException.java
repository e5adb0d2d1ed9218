package org.arca.store.journal;

import java.io.IOException;
import java.nio.file.Path;

/** A journal segment whose magic value or format version this release does not know. */
public class JournalFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path segment;

    public JournalFormatException(Path segment, String reason) {
        super("Cannot read the journal segment " + segment + ": " + reason);
        this.segment = segment;
    }

    public Path segment() {
        return segment;
    }
}
