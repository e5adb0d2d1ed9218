package org.arca.store.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Recomputes the derived columns of a series and its study from the rows
 * below them: NumberOfSeriesRelatedInstances, NumberOfStudyRelatedSeries,
 * NumberOfStudyRelatedInstances and ModalitiesInStudy. Only visible (not
 * deleted) instances count. Counting afresh keeps the values right when an
 * instance moves to another series in a new version, or is deleted or
 * undeleted. Adding one is enough, and does not read the whole series, when a
 * new instance joins a series that has visible instances already.
 */
final class DerivedAttributes {

    private final Connection connection;

    DerivedAttributes(Connection connection) {
        this.connection = connection;
    }

    void refreshSeriesAndStudy(long seriesKey) throws SQLException {
        Jdbc.update(connection,
                "UPDATE series SET number_of_instances ="
                        + " (SELECT COUNT(*) FROM instances WHERE instances.series_key = series.series_key"
                        + "   AND instances.deleted_sequence IS NULL)"
                        + " WHERE series_key = ?",
                seriesKey);

        long studyKey = Jdbc.queryLong(connection, "SELECT study_key FROM series WHERE series_key = ?", seriesKey);
        // A series whose instances all moved to another series in a newer version is not counted.
        Jdbc.update(connection,
                "UPDATE studies SET"
                        + " number_of_series = (SELECT COUNT(*) FROM series"
                        + "   WHERE series.study_key = studies.study_key AND number_of_instances > 0),"
                        + " number_of_instances = (SELECT COALESCE(SUM(number_of_instances), 0) FROM series"
                        + "   WHERE series.study_key = studies.study_key),"
                        + " modalities_in_study = ?"
                        + " WHERE study_key = ?",
                modalitiesInStudy(studyKey), studyKey);
    }

    /**
     * Counts one new visible instance in a series that had visible instances before, and in the
     * series' study. The study's number of series and ModalitiesInStudy do not change then, because
     * they depend only on which series have visible instances.
     *
     * @param studyKey the study the series belongs to
     */
    void countOneMore(long seriesKey, long studyKey) throws SQLException {
        Jdbc.update(connection, "UPDATE series SET number_of_instances = number_of_instances + 1 WHERE series_key = ?",
                seriesKey);
        Jdbc.update(connection,
                "UPDATE studies SET number_of_instances = number_of_instances + 1 WHERE study_key = ?", studyKey);
    }

    private String modalitiesInStudy(long studyKey) throws SQLException {
        List<String> modalities = Jdbc.queryList(connection,
                "SELECT DISTINCT modality FROM series WHERE study_key = ? AND number_of_instances > 0"
                        + " AND modality IS NOT NULL ORDER BY modality",
                row -> row.getString(1), studyKey);
        return String.join("\\", modalities);
    }
}
