package org.arca.store.index;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite connections of one index file: one writer connection guarded by a
 * lock, and reader connections that are reused after each read.
 *
 * <p>Every connection runs in WAL mode, so readers see the last committed
 * state and do not block the writer. It uses {@code synchronous=NORMAL}: in WAL
 * mode a power loss can drop the last committed transactions, but never
 * corrupts the file. That is acceptable because the index is derived from the
 * journal, where durability lives. The index may lag the journal and is
 * rebuilt or replayed from it. Foreign keys are enforced and a busy connection
 * waits up to {@link #BUSY_TIMEOUT_MS} before failing.
 *
 * <p>Thread-safety: {@link #lockWriter()} serialises every use of the writer
 * connection. Reader connections are handed out one per borrowing thread.
 */
final class IndexConnections implements AutoCloseable {

    static final int BUSY_TIMEOUT_MS = 10_000;

    /** Reader connections kept open for reuse; more may exist while many threads read at once. */
    private static final int MAX_IDLE_READERS = 4;

    private final Path sqliteFile;
    private final SQLiteDataSource dataSource;
    private final SQLiteDataSource readerDataSource;
    private final ReentrantLock writerLock = new ReentrantLock();
    private final Connection writer;
    private final ConcurrentLinkedQueue<Connection> idleReaders = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    IndexConnections(Path sqliteFile) throws SQLException {
        this.sqliteFile = sqliteFile;
        String url = "jdbc:sqlite:" + sqliteFile.toAbsolutePath();
        this.dataSource = new SQLiteDataSource(connectionConfig(false));
        this.dataSource.setUrl(url);
        this.readerDataSource = new SQLiteDataSource(connectionConfig(true));
        this.readerDataSource.setUrl(url);
        this.writer = dataSource.getConnection();
        this.writer.setAutoCommit(false);
        Jdbc.cacheStatements(writer);
    }

    private static SQLiteConfig connectionConfig(boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // Otherwise the driver matches every update against a regular expression and, after each INSERT, prepares
        // and runs a query for the generated key. Jdbc.insert reads last_insert_rowid() itself.
        config.setGetGeneratedKeys(false);
        return config;
    }

    Path sqliteFile() {
        return sqliteFile;
    }

    /** Returns a data source with the same settings, for Flyway. */
    DataSource dataSource() {
        return dataSource;
    }

    /** Locks the writer and returns it; the caller must call {@link #unlockWriter()} in a finally block. */
    Connection lockWriter() {
        writerLock.lock();
        return writer;
    }

    void unlockWriter() {
        writerLock.unlock();
    }

    /**
     * Returns a reader connection with auto-commit off, so that the statements of one read share one snapshot
     * until the caller commits. Give it back with {@link #releaseReader}.
     */
    Connection borrowReader() throws SQLException {
        Connection reader = idleReaders.poll();
        if (reader != null) {
            return reader;
        }
        Connection opened = readerDataSource.getConnection();
        opened.setAutoCommit(false);
        Jdbc.cacheStatements(opened);
        return opened;
    }

    /** Keeps the reader for reuse, or closes it when enough are idle or the index is closed. */
    void releaseReader(Connection reader) throws SQLException {
        if (!closed && idleReaders.size() < MAX_IDLE_READERS) {
            idleReaders.offer(reader);
        } else {
            Jdbc.closeCachedStatements(reader);
            reader.close();
        }
    }

    @Override
    public void close() throws SQLException {
        writerLock.lock();
        try {
            closed = true;
            SQLException first = null;
            for (Connection reader = idleReaders.poll(); reader != null; reader = idleReaders.poll()) {
                first = closeKeepingFirst(reader, first);
            }
            first = closeKeepingFirst(writer, first);
            if (first != null) {
                throw first;
            }
        } finally {
            writerLock.unlock();
        }
    }

    private static SQLException closeKeepingFirst(Connection connection, SQLException first) {
        Jdbc.closeCachedStatements(connection);
        try {
            connection.close();
            return first;
        } catch (SQLException e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
            return first;
        }
    }
}
