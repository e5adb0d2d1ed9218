package org.arca.store.index;

/**
 * A failure of the index: SQLite or a migration failed, or a record conflicts
 * with what the index holds. The index is derived from the journal, so the
 * usual remedy for a damaged index file is to rebuild it from the journal.
 */
public class IndexException extends RuntimeException {

    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }

    public IndexException(String message) {
        super(message);
    }
}
