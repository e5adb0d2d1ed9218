package org.arca.store.repair;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.arca.store.index.Index;
import org.arca.store.index.Jdbc;
import org.arca.store.ingest.IndexChange;
import org.arca.store.journal.JournalRecord;

/**
 * The SQL of the index's {@code blob_damage} table: one row per BLOB_DAMAGE_DETECTED journal record,
 * written by the record's index change, closed by a BLOB_REPAIRED record of its blob, and read by the
 * node's status and the damage recorders.
 */
public final class BlobDamageTable {

    private static final String SELECT = "SELECT sop_instance_uid, version, blob_sha256, path, problem, detected_by,"
            + " detected_at_millis, journal_sequence FROM blob_damage";

    private BlobDamageTable() {
    }

    /** A finding as the index stores it, with the sequence of its journal record. */
    public record Finding(BlobDamage damage, long journalSequence) {
    }

    /** Returns the index change of a BLOB_DAMAGE_DETECTED record: one row, applied once. */
    public static IndexChange indexChangeOf(JournalRecord record) throws IOException {
        return indexChangeOf(BlobDamage.fromJsonBytes(record.payload(), record.sequence()), record.sequence());
    }

    /** Returns the index change of the finding in journal record {@code sequence}. */
    static IndexChange indexChangeOf(BlobDamage damage, long sequence) {
        return index -> index.applyRecord(sequence, "record the damage of blob " + damage.blobSha256(),
                writer -> insert(writer, damage, sequence));
    }

    private static void insert(Connection writer, BlobDamage damage, long sequence) throws SQLException {
        Jdbc.update(writer, "INSERT OR REPLACE INTO blob_damage (journal_sequence, sop_instance_uid, version,"
                + " blob_sha256, path, problem, detected_by, detected_at_millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                sequence, damage.sopInstanceUid(), damage.version(), damage.blobSha256(), damage.path(),
                damage.problem(), damage.detectedBy(), damage.detectedAtMillis());
    }

    /** Returns the index change of a BLOB_REPAIRED record: it closes every open finding of its blob. */
    public static IndexChange repairChangeOf(JournalRecord record) throws IOException {
        return repairChangeOf(BlobRepaired.fromJsonBytes(record.payload(), record.sequence()), record.sequence());
    }

    /** Returns the index change of the repair in journal record {@code sequence}. */
    public static IndexChange repairChangeOf(BlobRepaired repaired, long sequence) {
        return index -> index.applyRecord(sequence, "close the damage findings of blob " + repaired.blobSha256(),
                writer -> Jdbc.update(writer, "UPDATE blob_damage SET repaired_sequence = ? WHERE blob_sha256 = ?"
                        + " AND repaired_sequence IS NULL", sequence, repaired.blobSha256()));
    }

    /** Returns the number of findings in the index, repaired ones included. */
    public static long count(Index index) {
        return index.read("count blob damage findings", reader -> Jdbc.queryLong(reader,
                "SELECT COUNT(*) FROM blob_damage"));
    }

    /** Returns the number of findings that no repair has closed. */
    public static long countOpen(Index index) {
        return index.read("count open blob damage findings", reader -> Jdbc.queryLong(reader,
                "SELECT COUNT(*) FROM blob_damage WHERE repaired_sequence IS NULL"));
    }

    /** Returns the open finding with the highest journal sequence, if any. */
    public static Optional<Finding> latestOpen(Index index) {
        return index.read("read the latest open blob damage finding", reader -> Jdbc.queryOptional(reader,
                SELECT + " WHERE repaired_sequence IS NULL ORDER BY journal_sequence DESC LIMIT 1",
                BlobDamageTable::finding));
    }

    /** Returns every open finding, oldest first: few, because a repair or a sender's copy closes each. */
    public static List<Finding> openFindings(Index index) {
        return index.read("read the open blob damage findings", reader -> Jdbc.queryList(reader,
                SELECT + " WHERE repaired_sequence IS NULL ORDER BY journal_sequence", BlobDamageTable::finding));
    }

    /** Returns whether an open finding for this stored version and blob is in the index already. */
    public static boolean containsOpen(Index index, String sopInstanceUid, int version, String blobSha256) {
        return openFinding(index, sopInstanceUid, version, blobSha256).isPresent();
    }

    /** Returns the journal sequence of the oldest open finding for this stored version and blob, if any. */
    public static OptionalLong openFinding(Index index, String sopInstanceUid, int version,
            String blobSha256) {
        return index.read("look up a blob damage finding", reader -> Jdbc.queryOptional(reader,
                "SELECT journal_sequence FROM blob_damage WHERE sop_instance_uid = ? AND version = ?"
                        + " AND blob_sha256 = ? AND repaired_sequence IS NULL ORDER BY journal_sequence LIMIT 1",
                row -> row.getLong(1), sopInstanceUid, version, blobSha256))
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private static Finding finding(ResultSet row) throws SQLException {
        return new Finding(new BlobDamage(BlobDamage.FORMAT_VERSION, row.getString(1), row.getInt(2),
                row.getString(3), row.getString(4), row.getString(5), row.getString(6), row.getLong(7)),
                row.getLong(8));
    }
}
