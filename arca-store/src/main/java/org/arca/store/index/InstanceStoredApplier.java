package org.arca.store.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one INSTANCE_STORED journal record to the index, inside the caller's
 * transaction on the writer connection.
 *
 * <p>Idempotent: a record whose journal sequence is already in the index, or
 * whose (SOP Instance UID, version) is already stored with the same blob,
 * changes nothing except the last applied journal sequence.
 */
final class InstanceStoredApplier {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceStoredApplier.class);

    private final Connection connection;
    private final HierarchyWriter hierarchy;
    private final DerivedAttributes derived;

    InstanceStoredApplier(Connection connection) {
        this.connection = connection;
        this.hierarchy = new HierarchyWriter(connection);
        this.derived = new DerivedAttributes(connection);
    }

    /** Applies the record and returns true, or returns false when the index already contains it. */
    boolean apply(InstanceRecord r) throws SQLException {
        if (r.journalSequence() < 1) {
            throw new IndexException("SOP Instance " + r.sopInstanceUid() + " has no journal sequence yet; "
                    + "only journaled records can be applied to the index.");
        }
        long lastApplied = lastAppliedJournalSequence(connection);
        if (isAlreadyApplied(r)) {
            advanceLastApplied(connection, r.journalSequence());
            return false;
        }
        if (r.journalSequence() < lastApplied) {
            // The replay after a restart starts after lastApplied, so records must be applied in journal order
            // (the ingest's IndexUpdater does so).
            LOG.warn("Journal record {} (SOP Instance {}) is applied after record {}; apply records in journal"
                    + " order, or a replay may miss records.", r.journalSequence(), r.sopInstanceUid(), lastApplied);
        }

        // 1. Patient, study and series rows; a study updated by hand keeps the patient it was given.
        Optional<HierarchyWriter.StoredStudy> study = hierarchy.findStudy(r);
        long patientKey = study.isPresent() && study.get().updatedByHand()
                ? study.get().patientKey()
                : hierarchy.upsertPatient(r);
        long studyKey = hierarchy.upsertStudy(r, study, patientKey);
        HierarchyWriter.SeriesRow series = hierarchy.upsertSeries(r, studyKey);

        // 2. The instance and its new version; the highest version becomes current.
        // 3. Counts and ModalitiesInStudy of every series and study the instance left or joined.
        Optional<long[]> stored = instanceOf(r.sopInstanceUid());
        if (stored.isEmpty()) {
            addFirstVersion(r, series);
        } else {
            addLaterVersion(r, stored.get()[0], stored.get()[1], series.seriesKey());
        }

        advanceLastApplied(connection, r.journalSequence());
        return true;
    }

    /** A new version of a deleted instance makes it visible again: the sender stored it anew. */
    private void showIfDeleted(InstanceRecord r, long instanceKey) throws SQLException {
        int shown = Jdbc.update(connection, "UPDATE instances SET deleted_sequence = NULL"
                + " WHERE instance_key = ? AND deleted_sequence IS NOT NULL", instanceKey);
        if (shown > 0) {
            LOG.info("Journal record {} stores version {} of deleted SOP Instance {}; the instance is visible again.",
                    r.journalSequence(), r.version(), r.sopInstanceUid());
        }
    }

    static long lastAppliedJournalSequence(Connection connection) throws SQLException {
        return Jdbc.queryLong(connection, "SELECT last_applied_journal_sequence FROM index_state WHERE id = 1");
    }

    private boolean isAlreadyApplied(InstanceRecord r) throws SQLException {
        Optional<String> storedBySequence = Jdbc.queryOptional(connection,
                "SELECT sop_instance_uid || ' version ' || version || ' blob ' || blob_sha256"
                        + " FROM instance_versions WHERE journal_sequence = ?",
                row -> row.getString(1), r.journalSequence());
        if (storedBySequence.isPresent()) {
            String received = r.sopInstanceUid() + " version " + r.version() + " blob " + r.blobSha256();
            if (!storedBySequence.get().equals(received)) {
                throw new IndexException("Journal record " + r.journalSequence() + " names SOP Instance " + received
                        + ", but the index recorded SOP Instance " + storedBySequence.get() + " for that sequence."
                        + " The journal and the index disagree; rebuild the index from the journal.");
            }
            LOG.debug("Journal record {} is already in the index; nothing to apply.", r.journalSequence());
            return true;
        }

        Optional<String> storedSha256 = Jdbc.queryOptional(connection,
                "SELECT blob_sha256 FROM instance_versions WHERE sop_instance_uid = ? AND version = ?",
                row -> row.getString(1), r.sopInstanceUid(), r.version());
        if (storedSha256.isEmpty()) {
            return false;
        }
        if (storedSha256.get().equals(r.blobSha256())) {
            LOG.warn("Journal record {} stores version {} of SOP Instance {} with blob {}, which the index already"
                            + " holds from another journal record; nothing to apply.",
                    r.journalSequence(), r.version(), r.sopInstanceUid(), r.blobSha256());
            return true;
        }
        throw new IndexException("Journal record " + r.journalSequence() + " stores version " + r.version()
                + " of SOP Instance " + r.sopInstanceUid() + " with blob " + r.blobSha256()
                + ", but the index holds that version with blob " + storedSha256.get()
                + ". The journal and the index disagree; rebuild the index from the journal.");
    }

    /**
     * Adds a SOP Instance that is not in the index yet. Its only version is current and visible, so
     * its series and study count one instance more. When the series had visible instances already,
     * both counts go up by one, because a recount would read every instance of the series.
     */
    private void addFirstVersion(InstanceRecord r, HierarchyWriter.SeriesRow series) throws SQLException {
        long instanceKey = insertInstance(r.sopInstanceUid(), series.seriesKey());
        long versionKey = insertVersion(r, instanceKey, series.seriesKey());
        Jdbc.update(connection, "UPDATE instances SET current_version_key = ? WHERE instance_key = ?", versionKey,
                instanceKey);
        if (series.visibleInstancesBefore() > 0) {
            derived.countOneMore(series.seriesKey(), series.studyKey());
        } else {
            derived.refreshSeriesAndStudy(series.seriesKey());
        }
    }

    /**
     * Adds a version of a known SOP Instance. The version may move the instance to another series and
     * shows a deleted instance again, so every series the instance left or joined is recounted.
     */
    private void addLaterVersion(InstanceRecord r, long instanceKey, long previousSeriesKey, long seriesKey)
            throws SQLException {
        insertVersion(r, instanceKey, seriesKey);
        long currentSeriesKey = pointAtHighestVersion(instanceKey);
        showIfDeleted(r, instanceKey);

        derived.refreshSeriesAndStudy(currentSeriesKey);
        if (previousSeriesKey != currentSeriesKey) {
            derived.refreshSeriesAndStudy(previousSeriesKey);
        }
        if (seriesKey != currentSeriesKey) {
            derived.refreshSeriesAndStudy(seriesKey);
        }
    }

    /** Returns the instance key and current series key of a SOP Instance in the index. */
    private Optional<long[]> instanceOf(String sopInstanceUid) throws SQLException {
        return Jdbc.queryOptional(connection,
                "SELECT instance_key, series_key FROM instances WHERE sop_instance_uid = ?",
                row -> new long[] {row.getLong(1), row.getLong(2)}, sopInstanceUid);
    }

    /** Inserts the instance row with no current version yet; the deferred foreign key is checked at commit. */
    private long insertInstance(String sopInstanceUid, long seriesKey) throws SQLException {
        return Jdbc.insert(connection,
                "INSERT INTO instances (sop_instance_uid, series_key, current_version_key) VALUES (?, ?, 0)",
                sopInstanceUid, seriesKey);
    }

    /** Inserts the version row and returns its key. */
    private long insertVersion(InstanceRecord r, long instanceKey, long seriesKey) throws SQLException {
        return Jdbc.insert(connection,
                "INSERT INTO instance_versions (instance_key, series_key, sop_instance_uid, version, sop_class_uid,"
                        + " instance_number, transfer_syntax_uid, specific_character_set, blob_sha256, size_bytes,"
                        + " journal_sequence, received_at_millis, source_ae_title)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                instanceKey, seriesKey, r.sopInstanceUid(), r.version(), r.sopClassUid(), r.instanceNumber(),
                r.transferSyntaxUid(), r.specificCharacterSet(), r.blobSha256(), r.sizeBytes(),
                r.journalSequence(), r.receivedAtMillis(), r.sourceAeTitle());
    }

    /** Makes the highest version current, moves the instance to that version's series, and returns the series key. */
    private long pointAtHighestVersion(long instanceKey) throws SQLException {
        long[] highest = Jdbc.queryOptional(connection,
                "SELECT version_key, series_key FROM instance_versions WHERE instance_key = ?"
                        + " ORDER BY version DESC LIMIT 1",
                row -> new long[] {row.getLong(1), row.getLong(2)}, instanceKey).orElseThrow();
        Jdbc.update(connection,
                "UPDATE instances SET current_version_key = ?, series_key = ? WHERE instance_key = ?",
                highest[0], highest[1], instanceKey);
        return highest[1];
    }

    static void advanceLastApplied(Connection connection, long journalSequence) throws SQLException {
        Jdbc.update(connection,
                "UPDATE index_state SET last_applied_journal_sequence = MAX(last_applied_journal_sequence, ?)"
                        + " WHERE id = 1",
                journalSequence);
    }
}
