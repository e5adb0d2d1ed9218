package org.arca.store.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small helpers that run one prepared statement with positional parameters; used by the index and by retention.
 *
 * <p>Statement cache: SQLite compiles a statement each time it is prepared, and for the dozen short statements
 * of an index update that was about a third of its CPU time (measured on SR ingest). A connection registered
 * with {@link #cacheStatements} keeps each statement after its use, with its parameters cleared and its result
 * set closed, for the next use of the same SQL text on that connection. A statement in use is taken out of the
 * cache, so a nested use of the same SQL prepares its own. Only the thread that has locked or borrowed a connection uses its cache.
 */
public final class Jdbc {

    /** Idle prepared statements by SQL text, per registered connection. */
    private static final Map<Connection, Map<String, PreparedStatement>> CACHES = new ConcurrentHashMap<>();

    /**
     * The maximum number of statements that one connection keeps. The index runs a few dozen fixed
     * texts. A query built per call, such as an IN list with one placeholder per value, would
     * otherwise add one statement per length.
     */
    private static final int MAX_CACHED_PER_CONNECTION = 128;

    /** Maps the current row of a result set to a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private Jdbc() {
    }

    /** Keeps the prepared statements of {@code connection} for reuse until {@link #closeCachedStatements}. */
    static void cacheStatements(Connection connection) {
        CACHES.putIfAbsent(connection, new HashMap<>());
    }

    /** Closes the statements cached for {@code connection}. Call it before the connection closes. */
    static void closeCachedStatements(Connection connection) {
        Map<String, PreparedStatement> cache = CACHES.remove(connection);
        if (cache == null) {
            return;
        }
        for (PreparedStatement statement : cache.values()) {
            closeQuietly(statement);
        }
    }

    public static <T> List<T> queryList(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        PreparedStatement statement = prepare(connection, sql, parameters);
        boolean reusable = false;
        try (ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            reusable = true;
            return result;
        } finally {
            release(connection, sql, statement, reusable);
        }
    }

    public static <T> Optional<T> queryOptional(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        PreparedStatement statement = prepare(connection, sql, parameters);
        boolean reusable = false;
        try (ResultSet rows = statement.executeQuery()) {
            Optional<T> result = rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
            reusable = true;
            return result;
        } finally {
            release(connection, sql, statement, reusable);
        }
    }

    /** Runs a query whose first column of its single row is an integer, such as COUNT(*). */
    public static long queryLong(Connection connection, String sql, Object... parameters) throws SQLException {
        return queryOptional(connection, sql, row -> row.getLong(1), parameters)
                .orElseThrow(() -> new SQLException("Query returned no row: " + sql));
    }

    public static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = prepare(connection, sql, parameters);
        boolean reusable = false;
        try {
            int changed = statement.executeUpdate();
            reusable = true;
            return changed;
        } finally {
            release(connection, sql, statement, reusable);
        }
    }

    /** Runs an INSERT and returns the rowid that SQLite assigned to the new row. */
    public static long insert(Connection connection, String sql, Object... parameters) throws SQLException {
        update(connection, sql, parameters);
        return queryLong(connection, "SELECT last_insert_rowid()");
    }

    /** Takes the cached statement for {@code sql} out of the cache, or prepares one, and binds the parameters. */
    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        Map<String, PreparedStatement> cache = CACHES.get(connection);
        PreparedStatement cached = cache == null ? null : cache.remove(sql);
        PreparedStatement statement = cached != null ? cached : connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    /**
     * Puts a statement back into its connection's cache after a successful use, or closes it. It is closed
     * after a failure, when the connection is not registered or its cache is full, and when a nested use
     * already put one back for the same SQL.
     */
    private static void release(Connection connection, String sql, PreparedStatement statement, boolean reusable)
            throws SQLException {
        Map<String, PreparedStatement> cache = reusable ? CACHES.get(connection) : null;
        if (cache == null) {
            statement.close();
            return;
        }
        statement.clearParameters();
        if (cache.size() >= MAX_CACHED_PER_CONNECTION || cache.putIfAbsent(sql, statement) != null) {
            statement.close();
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // The connection closes next, which frees what this statement still uses.
        }
    }
}
