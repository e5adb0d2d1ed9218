package org.arca.store.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arca.store.index.Index;
import org.sqlite.Function;

/**
 * Runs C-FIND queries against the index and streams the matches to a sink, one row at a time,
 * so that a large result never sits in memory.
 *
 * <p>The whole query runs in one read transaction, which sees one committed state of the index.
 * While a sink is slow (a peer that reads responses slowly) the transaction stays open; in WAL
 * mode that does not block writers, but it delays the checkpoint of the WAL file.
 *
 * <p>Thread-safety: safe to use from many threads, each query on its own reader connection.
 */
public final class FindQueries {

    /** Receives matches in order, and returns false to stop the query, for example after a C-CANCEL. */
    @FunctionalInterface
    public interface MatchSink {
        boolean accept(QueryMatch match) throws IOException;
    }

    private final Index index;

    public FindQueries(Index index) {
        this.index = index;
    }

    /**
     * Streams every match of the query to the sink until the sink returns false.
     *
     * @return the number of matches the sink accepted
     * @throws IOException when the sink failed
     * @throws org.arca.store.index.IndexException when SQLite failed
     */
    public long find(FindQuery query, MatchSink sink) throws IOException {
        FindSql sql = FindSql.build(query);
        try {
            return index.read("run C-FIND query at level " + query.level() + " " + query.keys(),
                    connection -> stream(connection, sql, sink));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Returns SQLite's plan for the query, one line per step, for tests and diagnostics. */
    public List<String> explain(FindQuery query) {
        FindSql sql = FindSql.build(query);
        return index.read("explain C-FIND query", connection -> {
            registerUpperFunction(connection);
            try (PreparedStatement statement = prepare(connection, "EXPLAIN QUERY PLAN " + sql.sql(), sql);
                    ResultSet rows = statement.executeQuery()) {
                List<String> plan = new java.util.ArrayList<>();
                while (rows.next()) {
                    plan.add(rows.getString("detail"));
                }
                return plan;
            }
        });
    }

    private static long stream(Connection connection, FindSql sql, MatchSink sink) throws SQLException {
        registerUpperFunction(connection);
        long accepted = 0;
        try (PreparedStatement statement = prepare(connection, sql.sql(), sql);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                if (!accept(sink, toMatch(rows, sql.columns()))) {
                    break;
                }
                accepted++;
            }
        }
        return accepted;
    }

    private static boolean accept(MatchSink sink, QueryMatch match) {
        try {
            return sink.accept(match);
        } catch (IOException e) {
            // Carried through Index.read, which handles SQLException only, and unwrapped in find.
            throw new UncheckedIOException(e);
        }
    }

    private static QueryMatch toMatch(ResultSet row, List<QueryAttribute> columns) throws SQLException {
        Map<QueryAttribute, String> values = new EnumMap<>(QueryAttribute.class);
        for (int i = 0; i < columns.size(); i++) {
            values.put(columns.get(i), row.getString(i + 1));
        }
        return QueryMatch.of(values);
    }

    private static PreparedStatement prepare(Connection connection, String text, FindSql sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(text);
        try {
            for (int i = 0; i < sql.parameters().size(); i++) {
                statement.setObject(i + 1, sql.parameters().get(i));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    /** Registers the SQL function that upper-cases as the index does (Locale.ROOT), for non-ASCII names too. */
    private static void registerUpperFunction(Connection connection) throws SQLException {
        Function.create(connection, FindSql.UPPER_FUNCTION, new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String value = value_text(0);
                if (value == null) {
                    result();
                } else {
                    result(value.toUpperCase(Locale.ROOT));
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
    }
}
