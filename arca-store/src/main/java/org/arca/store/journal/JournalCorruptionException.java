package org.arca.store.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Corruption in the journal that is not a torn tail of the last segment: a bad CRC or broken chain
 * followed by good records, or a defect in a segment that is not the last. The journal refuses to
 * open, because cutting would drop acknowledged records. An operator must act: restore the segment
 * from a replica or backup, or reopen with {@link JournalOptions#quarantineCorruptSegments()} to
 * set the damaged segments aside and cut the journal at the defect.
 */
public class JournalCorruptionException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path segment;
    private final long offset;
    private final long sequence;

    public JournalCorruptionException(Path segment, long offset, long sequence, String reason) {
        super("The journal segment " + segment + " is corrupt at offset " + offset
                + (sequence > 0 ? " (sequence " + sequence + ")" : "") + ": " + reason
                + ". Restore the segment from a replica or a backup, or reopen with quarantine enabled"
                + " to set it aside and cut the journal there.");
        this.segment = segment;
        this.offset = offset;
        this.sequence = sequence;
    }

    public Path segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /** Returns the sequence expected at the offset, or -1 if unknown. */
    public long sequence() {
        return sequence;
    }
}
