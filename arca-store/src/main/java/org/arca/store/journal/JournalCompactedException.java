package org.arca.store.journal;

/**
 * Thrown when a reader asks for journal records that compaction removed. The caller must start
 * from a checkpoint whose sequence is at least {@link #firstSequence()} - 1 and read from there.
 */
public final class JournalCompactedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long requestedSequence;
    private final long firstSequence;

    public JournalCompactedException(long requestedSequence, long firstSequence) {
        super("Journal record " + requestedSequence + " was removed by compaction; the journal starts at sequence "
                + firstSequence + ". Start from a checkpoint at sequence " + (firstSequence - 1)
                + " or later and read the journal after it.");
        this.requestedSequence = requestedSequence;
        this.firstSequence = firstSequence;
    }

    public long requestedSequence() {
        return requestedSequence;
    }

    /** Returns the sequence of the first record the journal still contains. */
    public long firstSequence() {
        return firstSequence;
    }
}
