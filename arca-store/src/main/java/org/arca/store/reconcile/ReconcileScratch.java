package org.arca.store.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The on-disk working set of one reconciliation, in a scratch SQLite file under
 * {@code <data>/reconcile/scratch/}: the set of blobs the journal references and the
 * journal's view of patients, studies and series ({@link JournalView}). SQLite keeps it on
 * disk, so memory stays at its page cache (about 2 MiB by default) whatever the number of blobs.
 * The file is deleted when the run ends, and leftovers of an interrupted run when the next starts.
 *
 * <p>Not thread-safe: one reconciliation uses it from one thread.
 */
final class ReconcileScratch implements AutoCloseable {

    /** Inserts are committed in batches, because one transaction per insert would fsync each. */
    private static final int BATCH_SIZE = 10_000;

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insertReference;
    private final PreparedStatement selectReference;
    private int uncommitted;

    private ReconcileScratch(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insertReference = connection.prepareStatement(
                "INSERT OR IGNORE INTO referenced_blobs (sha256) VALUES (?)");
        this.selectReference = connection.prepareStatement("SELECT 1 FROM referenced_blobs WHERE sha256 = ?");
    }

    /** Deletes leftovers of earlier runs in {@code directory} and creates a new scratch file there. */
    static ReconcileScratch create(Path directory) throws IOException {
        Files.createDirectories(directory);
        deleteLeftovers(directory);
        Path file = directory.resolve("scratch-" + UUID.randomUUID() + ".sqlite");
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement statement = connection.createStatement()) {
                // The scratch file is thrown away after the run, so a crash may lose it.
                statement.execute("PRAGMA journal_mode = OFF");
                statement.execute("PRAGMA synchronous = OFF");
                statement.execute("CREATE TABLE referenced_blobs (sha256 TEXT PRIMARY KEY) WITHOUT ROWID");
                JournalView.createTables(statement);
            }
            connection.setAutoCommit(false);
            return new ReconcileScratch(file, connection);
        } catch (SQLException e) {
            throw new IOException("Creating the reconcile scratch file " + file + " failed: " + e.getMessage()
                    + "; check free space and permissions in " + directory + ".", e);
        }
    }

    private static void deleteLeftovers(Path directory) throws IOException {
        try (var leftovers = Files.newDirectoryStream(directory, "scratch-*.sqlite*")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    Connection connection() {
        return connection;
    }

    /** Adds a blob to the referenced set; returns true when it was not in the set before. */
    boolean addReference(String sha256) throws SQLException {
        insertReference.setString(1, sha256);
        boolean added = insertReference.executeUpdate() == 1;
        commitEveryBatch();
        return added;
    }

    boolean isReferenced(String sha256) throws SQLException {
        selectReference.setString(1, sha256);
        try (ResultSet row = selectReference.executeQuery()) {
            return row.next();
        }
    }

    void commitEveryBatch() throws SQLException {
        if (++uncommitted >= BATCH_SIZE) {
            connection.commit();
            uncommitted = 0;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("Closing the reconcile scratch file " + file + " failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
