package org.arca.store.rebuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks whether an index file is a sound SQLite database, before the index opens it.
 *
 * <p>Runs {@code PRAGMA quick_check}: it reads every page and checks the b-tree structure and the
 * record format, but not that each index entry matches its table row, which {@code integrity_check}
 * adds. A page overwritten on disk breaks the structure that quick_check reads. On an index of
 * 100,000 instances (39 MB) quick_check took 169 ms and integrity_check 504 ms on a loaded 2-core
 * machine ({@code IndexRebuildBenchmark}, docs/benchmarks.md), so every start pays the cheaper check.
 */
public final class IndexFileCheck {

    /** SQLite primary result codes (the low byte of an extended code) that mean a damaged file. */
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    /** Problems listed in a report; quick_check stops after this many anyway. */
    private static final int MAX_PROBLEMS = 10;

    /** The state of an index file. */
    public enum State { MISSING, SOUND, CORRUPT }

    /**
     * The outcome of a check.
     *
     * @param detail what SQLite reported for a corrupt file, empty otherwise
     * @param duration how long the check took
     */
    public record Result(State state, String detail, Duration duration) {
    }

    private IndexFileCheck() {
    }

    /**
     * Checks {@code indexFile}. Opening it may recover its write-ahead log, as any open would.
     *
     * @throws IOException when SQLite fails for another reason than a damaged file, such as a missing
     *     permission; nothing is then known about the file
     */
    public static Result check(Path indexFile) throws IOException {
        long started = System.nanoTime();
        if (!Files.exists(indexFile)) {
            return new Result(State.MISSING, "", elapsedSince(started));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + indexFile.toAbsolutePath())) {
            List<String> problems = quickCheck(connection);
            State state = problems.isEmpty() ? State.SOUND : State.CORRUPT;
            return new Result(state, String.join("; ", problems), elapsedSince(started));
        } catch (SQLException e) {
            if (isDamagedFile(e)) {
                return new Result(State.CORRUPT, e.getMessage(), elapsedSince(started));
            }
            throw new IOException("Checking index file " + indexFile + " failed: " + e.getMessage()
                    + ". Check that the file is readable and writable by this user.", e);
        }
    }

    /** Returns the problems that quick_check lists, none for a sound file. */
    private static List<String> quickCheck(Connection connection) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
            while (rows.next()) {
                String row = rows.getString(1);
                if (!"ok".equals(row)) {
                    problems.add(row);
                }
            }
        }
        return problems;
    }

    private static boolean isDamagedFile(SQLException e) {
        int primaryCode = e.getErrorCode() & 0xff;
        return primaryCode == SQLITE_CORRUPT || primaryCode == SQLITE_NOTADB;
    }

    private static Duration elapsedSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
