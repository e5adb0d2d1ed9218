package org.arca.store.journal;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.arca.store.journal.JournalWriter.DurableState;
import org.arca.store.journal.SegmentFiles.SegmentFile;

/** Checks that a journal starting after sequence 1 chains to its {@link JournalAnchor}. */
final class AnchorCheck {

    private AnchorCheck() {
    }

    /**
     * Returns the problem with the start of the journal in {@code state}, or null when it starts at
     * sequence 1 (no anchor needed) or chains to {@code anchor}. A null anchor after compaction is a problem.
     */
    static JournalProblem check(DurableState state, JournalAnchor anchor, boolean lastSegmentMayGrow)
            throws IOException {
        List<SegmentFile> segments = state.segments();
        if (segments.isEmpty() || segments.get(0).firstSequence() == 1) {
            return null;
        }
        SegmentFile first = segments.get(0);
        long firstSequence = first.firstSequence();
        if (anchor == null) {
            return problem(first, firstSequence, "the journal starts at sequence " + firstSequence
                    + ", so older segments were removed, but no checkpoint manifest at sequence " + (firstSequence - 1)
                    + " or later anchors its hash chain; restore the checkpoints directory or the removed segments");
        }
        if (anchor.sequence() < firstSequence - 1 || anchor.sequence() > Math.max(state.lastSequence(), firstSequence - 1)) {
            return problem(first, firstSequence, "the anchor at " + anchor + " is outside the retained journal, "
                    + "which continues after sequence " + (firstSequence - 1) + " and ends at " + state.lastSequence());
        }
        if (state.lastSequence() < firstSequence) {
            return null; // no retained record: the writer continues from the anchor itself
        }

        try (JournalReader reader = new JournalReader(state, firstSequence, lastSegmentMayGrow)) {
            JournalRecord record = reader.next();
            if (anchor.sequence() == firstSequence - 1) {
                return matches(record.previousHash(), anchor) ? null : problem(first, firstSequence,
                        "the first record carries previous hash " + hex(record.previousHash())
                                + ", not the SHA-256 of the anchor at " + anchor);
            }
            while (record.sequence() < anchor.sequence()) {
                record = reader.next();
            }
            return matches(record.hash(), anchor) ? null : problem(first, anchor.sequence(), "record "
                    + anchor.sequence() + " has SHA-256 " + hex(record.hash()) + ", not that of the anchor at " + anchor);
        }
    }

    private static boolean matches(byte[] hash, JournalAnchor anchor) {
        return Arrays.equals(hash, anchor.sha256());
    }

    private static JournalProblem problem(SegmentFile segment, long sequence, String detail) {
        return new JournalProblem(segment.path(), 0, sequence, JournalDefect.BROKEN_CHAIN, detail);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
