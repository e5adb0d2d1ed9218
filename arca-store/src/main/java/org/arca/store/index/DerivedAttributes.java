package org.arca.store.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Recomputes the derived columns of a series and its study from the rows
 * below them: NumberOfSeriesRelatedInstances, NumberOfStudyRelatedSeries,
 * NumberOfStudyRelatedInstances and ModalitiesInStudy. Only visible (not
 * deleted) instances count. Counting afresh, rather than adding one, keeps the
 * values right when a record is replayed, an instance moves to another series
 * in a new version, or an instance is deleted or undeleted.
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

    private String modalitiesInStudy(long studyKey) throws SQLException {
        List<String> modalities = Jdbc.queryList(connection,
                "SELECT DISTINCT modality FROM series WHERE study_key = ? AND number_of_instances > 0"
                        + " AND modality IS NOT NULL ORDER BY modality",
                row -> row.getString(1), studyKey);
        return String.join("\\", modalities);
    }
}
