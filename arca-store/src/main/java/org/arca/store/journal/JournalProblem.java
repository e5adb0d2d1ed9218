package org.arca.store.journal;

import java.nio.file.Path;

/**
 * A defect found in a journal segment.
 *
 * @param segment the segment file
 * @param offset the byte offset in the segment where the defect starts
 * @param expectedSequence the sequence expected at that offset, or -1 if unknown
 * @param defect what is wrong
 * @param detail a sentence with the values involved
 */
public record JournalProblem(Path segment, long offset, long expectedSequence, JournalDefect defect, String detail) {

    @Override
    public String toString() {
        return defect + " in segment " + segment + " at offset " + offset
                + (expectedSequence > 0 ? " (expected sequence " + expectedSequence + ")" : "") + ": " + detail;
    }
}
