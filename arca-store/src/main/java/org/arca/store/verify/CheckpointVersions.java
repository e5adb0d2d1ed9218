package org.arca.store.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * The stored versions and reclaims that a checkpoint snapshot contains from journal records that
 * compaction removed: the known state that the retained journal continues.
 *
 * @param versions the versions stored by records below the journal's first retained sequence
 * @param reclaimedAtSequence the sequence of each such BLOB_RECLAIMED record, by blob SHA-256
 */
public record CheckpointVersions(List<StoredVersion> versions, Map<String, Long> reclaimedAtSequence) {

    /** One stored version, as the verifier checks it against its blob. */
    public record StoredVersion(String sopInstanceUid, int version, long journalSequence, String blobSha256,
            long sizeBytes) {
    }

    /** Reads the rows of records below {@code firstSequence} from the snapshot, opened read-only. */
    public static CheckpointVersions read(Path snapshot, long firstSequence) throws IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + snapshot.toAbsolutePath())) {
            return new CheckpointVersions(versions(connection, firstSequence), reclaims(connection, firstSequence));
        } catch (SQLException e) {
            throw new IOException("Reading the stored versions of checkpoint snapshot " + snapshot + " failed: "
                    + e.getMessage() + ". Run arca retention run to write a new checkpoint.", e);
        }
    }

    private static List<StoredVersion> versions(Connection connection, long firstSequence) throws SQLException {
        List<StoredVersion> versions = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT sop_instance_uid, version,"
                + " journal_sequence, blob_sha256, size_bytes FROM instance_versions WHERE journal_sequence < ?"
                + " ORDER BY journal_sequence")) {
            statement.setLong(1, firstSequence);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    versions.add(new StoredVersion(rows.getString(1), rows.getInt(2), rows.getLong(3),
                            rows.getString(4), rows.getLong(5)));
                }
            }
        }
        return versions;
    }

    private static Map<String, Long> reclaims(Connection connection, long firstSequence) throws SQLException {
        Map<String, Long> reclaimed = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT blob_sha256, journal_sequence"
                + " FROM reclaimed_blobs WHERE journal_sequence < ?")) {
            statement.setLong(1, firstSequence);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reclaimed.merge(rows.getString(1), rows.getLong(2), Math::max);
                }
            }
        }
        return reclaimed;
    }
}
