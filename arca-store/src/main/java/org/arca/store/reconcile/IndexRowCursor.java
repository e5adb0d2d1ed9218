package org.arca.store.reconcile;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayDeque;
import java.util.Deque;
import org.arca.store.index.Index;

/**
 * The instance version rows of the index in journal sequence order, read in pages of
 * {@value #PAGE_SIZE} rows, each page in its own short read transaction: memory stays at one page,
 * and a running node's index is never held in one long read.
 */
final class IndexRowCursor {

    static final int PAGE_SIZE = 1000;

    private final Index index;
    private final long lastSequence;
    private final Deque<IndexRow> page = new ArrayDeque<>();
    private long afterSequence;
    private boolean exhausted;

    /** Reads the rows with journal sequences up to {@code lastSequence}. */
    IndexRowCursor(Index index, long lastSequence) {
        this.index = index;
        this.lastSequence = lastSequence;
    }

    /** Returns the next row without consuming it, or null after the last. */
    IndexRow peek() {
        if (page.isEmpty() && !exhausted) {
            readPage();
        }
        return page.peekFirst();
    }

    IndexRow next() {
        IndexRow row = peek();
        page.pollFirst();
        return row;
    }

    private void readPage() {
        index.read("read instance versions after journal sequence " + afterSequence, reader -> {
            try (PreparedStatement statement = reader.prepareStatement(
                    "SELECT journal_sequence, sop_instance_uid, version, blob_sha256, sop_class_uid, instance_number,"
                            + " transfer_syntax_uid, specific_character_set, size_bytes FROM instance_versions"
                            + " WHERE journal_sequence > ? AND journal_sequence <= ? ORDER BY journal_sequence"
                            + " LIMIT " + PAGE_SIZE)) {
                statement.setLong(1, afterSequence);
                statement.setLong(2, lastSequence);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        page.addLast(new IndexRow(rows.getLong(1), rows.getString(2), rows.getInt(3),
                                rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                                rows.getString(8), rows.getLong(9)));
                    }
                }
            }
            return null;
        });
        exhausted = page.size() < PAGE_SIZE;
        if (!page.isEmpty()) {
            afterSequence = page.peekLast().journalSequence();
        }
    }
}
