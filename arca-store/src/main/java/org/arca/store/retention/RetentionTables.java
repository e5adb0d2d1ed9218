package org.arca.store.retention;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.arca.store.index.Jdbc;

/**
 * The SQL of retention over the index: the {@code legal_holds} and {@code reclaimed_blobs} tables,
 * and the reads that find which blobs deleted instances alone refer to. A SOP Instance is deleted
 * while {@code instances.deleted_sequence} is set (to the journal sequence of the record that hid
 * it); every version of a visible instance, superseded ones included, stays retrievable.
 */
final class RetentionTables {

    /**
     * A reclaimed blob counts only while every version in it stays as the reclaim left it: no
     * version stored after the BLOB_RECLAIMED record, and no instance shown since (visible, or
     * deleted anew after the record). A sender that stores the bytes again writes the file anew
     * and shows the instance. An instance shown by a new version with other bytes also ends the
     * count for its older blobs, whose files stay missing: retention never stages a blob of a
     * visible instance, even if its bytes were reclaimed before.
     */
    private static final String STILL_RECLAIMED = " NOT EXISTS (SELECT 1 FROM instance_versions v"
            + " JOIN instances i ON i.instance_key = v.instance_key WHERE v.blob_sha256 = r.blob_sha256"
            + " AND (v.journal_sequence > r.journal_sequence OR i.deleted_sequence IS NULL"
            + " OR i.deleted_sequence > r.journal_sequence))";

    private static final String SELECT_RECLAIMED = "SELECT r.blob_sha256, r.size_bytes, r.reason,"
            + " r.reclaimed_at_millis, r.journal_sequence FROM reclaimed_blobs r WHERE" + STILL_RECLAIMED;

    private RetentionTables() {
    }

    /** A stored version whose bytes are in a blob, and the sequence that deleted its instance (null: visible). */
    record ReferenceState(BlobReference reference, Long deletedSequence) {
    }

    static void insertHold(Connection writer, LegalHoldEvent event, long heldAtMillis, long journalSequence)
            throws SQLException {
        Jdbc.update(writer, "INSERT OR REPLACE INTO legal_holds (study_instance_uid, held_by, reason, held_at_millis,"
                + " journal_sequence) VALUES (?, ?, ?, ?, ?)", event.studyInstanceUid(), event.user(),
                event.reason(), heldAtMillis, journalSequence);
    }

    static void deleteHold(Connection writer, String studyInstanceUid) throws SQLException {
        Jdbc.update(writer, "DELETE FROM legal_holds WHERE study_instance_uid = ?", studyInstanceUid);
    }

    static void insertReclaimed(Connection writer, BlobReclaimedEvent event, long reclaimedAtMillis,
            long journalSequence) throws SQLException {
        Jdbc.update(writer, "INSERT OR REPLACE INTO reclaimed_blobs (blob_sha256, size_bytes, reason,"
                + " reclaimed_at_millis, journal_sequence) VALUES (?, ?, ?, ?, ?)", event.blobSha256(),
                event.sizeBytes(), event.reason(), reclaimedAtMillis, journalSequence);
    }

    static List<LegalHold> holds(Connection reader) throws SQLException {
        return Jdbc.queryList(reader, "SELECT study_instance_uid, held_by, reason, held_at_millis, journal_sequence"
                + " FROM legal_holds ORDER BY study_instance_uid", RetentionTables::legalHold);
    }

    static Optional<LegalHold> hold(Connection reader, String studyInstanceUid) throws SQLException {
        return Jdbc.queryList(reader, "SELECT study_instance_uid, held_by, reason, held_at_millis, journal_sequence"
                + " FROM legal_holds WHERE study_instance_uid = ?", RetentionTables::legalHold, studyInstanceUid)
                .stream().findFirst();
    }

    static List<ReclaimedBlob> reclaimed(Connection reader) throws SQLException {
        return Jdbc.queryList(reader, SELECT_RECLAIMED + " ORDER BY r.journal_sequence", RetentionTables::reclaimedBlob);
    }

    static Optional<ReclaimedBlob> reclaimed(Connection reader, String blobSha256) throws SQLException {
        return Jdbc.queryList(reader, SELECT_RECLAIMED + " AND r.blob_sha256 = ?", RetentionTables::reclaimedBlob,
                blobSha256).stream().findFirst();
    }

    /** Returns the reclaimed blobs among the versions of the study, for the restore check. */
    static List<ReclaimedBlob> reclaimedOfStudy(Connection reader, String studyInstanceUid) throws SQLException {
        return Jdbc.queryList(reader, SELECT_RECLAIMED + " AND r.blob_sha256 IN (SELECT v.blob_sha256 FROM instance_versions v"
                + " JOIN series se ON se.series_key = v.series_key JOIN studies st ON st.study_key = se.study_key"
                + " WHERE st.study_instance_uid = ?) ORDER BY r.journal_sequence", RetentionTables::reclaimedBlob,
                studyInstanceUid);
    }

    /**
     * Returns every BLOB_RECLAIMED row among the versions of these SOP Instances, at most 500 UIDs
     * per call, including blobs whose bytes were stored again since: only the blob store can tell.
     */
    static List<ReclaimedBlob> reclaimedOfInstances(Connection reader, List<String> sopInstanceUids)
            throws SQLException {
        String placeholders = String.join(", ", java.util.Collections.nCopies(sopInstanceUids.size(), "?"));
        return Jdbc.queryList(reader, "SELECT r.blob_sha256, r.size_bytes, r.reason, r.reclaimed_at_millis,"
                + " r.journal_sequence FROM reclaimed_blobs r WHERE r.blob_sha256 IN (SELECT v.blob_sha256"
                + " FROM instance_versions v WHERE v.sop_instance_uid IN (" + placeholders + "))"
                + " ORDER BY r.journal_sequence",
                RetentionTables::reclaimedBlob, sopInstanceUids.toArray());
    }

    /**
     * Lists the blobs of instances deleted at or before {@code deletedUpToSequence} that are not
     * reclaimed yet, in SHA-256 order. Other versions may still need them; see {@link #references}.
     */
    static List<String> blobsOfDeletedInstances(Connection reader, long deletedUpToSequence) throws SQLException {
        return Jdbc.queryList(reader, "SELECT DISTINCT v.blob_sha256 FROM instances i"
                + " JOIN instance_versions v ON v.instance_key = i.instance_key"
                + " WHERE i.deleted_sequence IS NOT NULL AND i.deleted_sequence <= ?"
                + " AND NOT EXISTS (SELECT 1 FROM reclaimed_blobs r WHERE r.blob_sha256 = v.blob_sha256 AND"
                + STILL_RECLAIMED + ") ORDER BY v.blob_sha256", row -> row.getString(1), deletedUpToSequence);
    }

    /** Counts the SOP Instances of the study, deleted ones included; -1 when the index has no such study. */
    static int instancesOfStudy(Connection reader, String studyInstanceUid) throws SQLException {
        List<Integer> found = Jdbc.queryList(reader, "SELECT (SELECT COUNT(*) FROM instances i"
                + " JOIN series se ON se.series_key = i.series_key WHERE se.study_key = st.study_key)"
                + " FROM studies st WHERE st.study_instance_uid = ?", row -> row.getInt(1), studyInstanceUid);
        return found.isEmpty() ? -1 : found.get(0);
    }

    /** Returns every stored version in the blob, with the deletion state of its instance. */
    static List<ReferenceState> references(Connection reader, String blobSha256) throws SQLException {
        return Jdbc.queryList(reader, "SELECT st.study_instance_uid, se.series_instance_uid, v.sop_instance_uid, v.version,"
                + " v.journal_sequence, i.deleted_sequence FROM instance_versions v"
                + " JOIN instances i ON i.instance_key = v.instance_key"
                + " JOIN series se ON se.series_key = v.series_key JOIN studies st ON st.study_key = se.study_key"
                + " WHERE v.blob_sha256 = ? ORDER BY v.journal_sequence", row -> new ReferenceState(
                        new BlobReference(row.getString(1), row.getString(2), row.getString(3), row.getInt(4),
                                row.getLong(5)), nullableLong(row, 6)), blobSha256);
    }

    private static Long nullableLong(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static LegalHold legalHold(ResultSet row) throws SQLException {
        return new LegalHold(row.getString(1), row.getString(2), row.getString(3), row.getLong(4), row.getLong(5));
    }

    private static ReclaimedBlob reclaimedBlob(ResultSet row) throws SQLException {
        return new ReclaimedBlob(row.getString(1), row.getLong(2), row.getString(3), row.getLong(4), row.getLong(5));
    }
}
