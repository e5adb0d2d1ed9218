package org.arca.store.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link IndexEdit} of one change record inside the caller's transaction on the
 * writer connection: hides and shows instances, sets current versions and study attributes, and
 * recounts every series and study whose visible instances changed.
 *
 * <p>Idempotent: a record whose sequence is not above the last applied one changes nothing.
 */
final class IndexEditApplier {

    private static final Logger LOG = LoggerFactory.getLogger(IndexEditApplier.class);

    private final Connection connection;

    IndexEditApplier(Connection connection) {
        this.connection = connection;
    }

    /** Applies the edit and returns true, or returns false when the index already contains the record. */
    boolean apply(long journalSequence, IndexEdit edit) throws SQLException {
        if (journalSequence <= InstanceStoredApplier.lastAppliedJournalSequence(connection)) {
            LOG.debug("Journal record {} is already in the index; nothing to apply.", journalSequence);
            return false;
        }

        Set<Long> touchedSeries = new LinkedHashSet<>();
        setDeleted(edit.hiddenSopInstanceUids(), journalSequence, journalSequence, touchedSeries);
        setDeleted(edit.shownSopInstanceUids(), null, journalSequence, touchedSeries);
        for (Map.Entry<String, Integer> current : edit.currentVersions().entrySet()) {
            setCurrentVersion(current.getKey(), current.getValue(), journalSequence, touchedSeries);
        }
        StudyAttributeWriter attributes = new StudyAttributeWriter(connection);
        for (StudyAttributes update : edit.studyUpdates()) {
            attributes.apply(journalSequence, update);
        }

        DerivedAttributes derived = new DerivedAttributes(connection);
        for (long seriesKey : touchedSeries) {
            derived.refreshSeriesAndStudy(seriesKey);
        }
        InstanceStoredApplier.advanceLastApplied(connection, journalSequence);
        return true;
    }

    /**
     * Makes a stored version current and moves the instance to that version's series. A later
     * INSTANCE_STORED record makes the highest version current again.
     */
    private void setCurrentVersion(String sopInstanceUid, int version, long journalSequence,
            Set<Long> touchedSeries) throws SQLException {
        Optional<long[]> target = Jdbc.queryOptional(connection,
                "SELECT v.version_key, v.series_key, i.series_key FROM instance_versions v"
                        + " JOIN instances i ON i.instance_key = v.instance_key"
                        + " WHERE v.sop_instance_uid = ? AND v.version = ?",
                row -> new long[] {row.getLong(1), row.getLong(2), row.getLong(3)}, sopInstanceUid, version);
        if (target.isEmpty()) {
            LOG.warn("Journal record {} makes version {} of SOP Instance {} current, but the index has no such"
                    + " version; skipped. Rebuild the index from the journal if it should exist.", journalSequence,
                    version, sopInstanceUid);
            return;
        }
        Jdbc.update(connection,
                "UPDATE instances SET current_version_key = ?, series_key = ? WHERE sop_instance_uid = ?",
                target.get()[0], target.get()[1], sopInstanceUid);
        touchedSeries.add(target.get()[1]);
        touchedSeries.add(target.get()[2]);
    }

    /** Sets deleted_sequence (null shows the instance) and collects the series whose counts change. */
    private void setDeleted(List<String> sopInstanceUids, Long deletedSequence, long journalSequence,
            Set<Long> touchedSeries) throws SQLException {
        for (String sopInstanceUid : sopInstanceUids) {
            Optional<Long> seriesKey = Jdbc.queryOptional(connection,
                    "SELECT series_key FROM instances WHERE sop_instance_uid = ?", row -> row.getLong(1),
                    sopInstanceUid);
            if (seriesKey.isEmpty()) {
                LOG.warn("Journal record {} names SOP Instance {}, which is not in the index; skipped. Rebuild the"
                        + " index from the journal if the instance should exist.", journalSequence, sopInstanceUid);
                continue;
            }
            String onlyChanged = deletedSequence == null ? "deleted_sequence IS NOT NULL" : "deleted_sequence IS NULL";
            int changed = Jdbc.update(connection, "UPDATE instances SET deleted_sequence = ?"
                    + " WHERE sop_instance_uid = ? AND " + onlyChanged, deletedSequence, sopInstanceUid);
            if (changed > 0) {
                touchedSeries.add(seriesKey.get());
            }
        }
    }
}
