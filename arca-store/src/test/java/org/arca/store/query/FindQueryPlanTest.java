package org.arca.store.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arca.store.index.Index;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks with EXPLAIN QUERY PLAN that the study-level queries a C-FIND SCU sends most (PatientID,
 * PatientName prefix, StudyDate range, AccessionNumber) search an index in an archive of 100,000
 * studies, and prints the latency of 200 such queries. Timings are printed, never asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FindQueryPlanTest {

    private static final int STUDIES = 100_000;
    private static final int STUDIES_PER_PATIENT = 4;
    private static final long SEED = 20_240_115L;

    private Index index;
    private FindQueries queries;

    @BeforeAll
    void fill(@TempDir Path dir) throws SQLException {
        Path file = dir.resolve("arca.sqlite");
        Index.open(file).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            connection.setAutoCommit(false);
            insertArchive(connection);
            connection.commit();
        }
        index = Index.open(file);
        queries = new FindQueries(index);
    }

    /** Inserts the rows that Index.applyInstanceStored would write, in one transaction, for speed. */
    private static void insertArchive(Connection c) throws SQLException {
        try (PreparedStatement patient = c.prepareStatement("INSERT INTO patients (patient_key, patient_id,"
                + " issuer_of_patient_id, patient_name, patient_name_upper) VALUES (?, ?, '', ?, ?)");
                PreparedStatement study = c.prepareStatement("INSERT INTO studies (study_key, patient_key,"
                        + " study_instance_uid, study_date, study_time, accession_number, modalities_in_study,"
                        + " number_of_series, number_of_instances) VALUES (?, ?, ?, ?, '120000', ?, 'CT', 1, 1)");
                PreparedStatement series = c.prepareStatement("INSERT INTO series (series_key, study_key,"
                        + " series_instance_uid, modality, number_of_instances) VALUES (?, ?, ?, 'CT', 1)");
                PreparedStatement version = c.prepareStatement("INSERT INTO instance_versions (version_key,"
                        + " instance_key, series_key, sop_instance_uid, version, sop_class_uid,"
                        + " transfer_syntax_uid, blob_sha256, size_bytes, journal_sequence, received_at_millis)"
                        + " VALUES (?, ?, ?, ?, 1, '1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2.1', ?, 1, ?, 0)");
                PreparedStatement instance = c.prepareStatement("INSERT INTO instances (instance_key,"
                        + " sop_instance_uid, series_key, current_version_key) VALUES (?, ?, ?, ?)")) {
            for (int p = 1; p <= STUDIES / STUDIES_PER_PATIENT; p++) {
                patient.setInt(1, p);
                patient.setString(2, "PID-" + p);
                patient.setString(3, "Name" + p + "^Given");
                patient.setString(4, "NAME" + p + "^GIVEN");
                patient.addBatch();
            }
            patient.executeBatch();
            for (int s = 1; s <= STUDIES; s++) {
                study.setInt(1, s);
                study.setInt(2, 1 + (s - 1) / STUDIES_PER_PATIENT);
                study.setString(3, "2.25." + s);
                study.setString(4, studyDate(s));
                study.setString(5, "ACC-" + s);
                study.addBatch();
                series.setInt(1, s);
                series.setInt(2, s);
                series.setString(3, "2.25." + s + ".1");
                series.addBatch();
                version.setInt(1, s);
                version.setInt(2, s);
                version.setInt(3, s);
                version.setString(4, "2.25." + s + ".1.1");
                version.setString(5, String.format("%064x", s));
                version.setInt(6, s);
                version.addBatch();
                instance.setInt(1, s);
                instance.setString(2, "2.25." + s + ".1.1");
                instance.setInt(3, s);
                instance.setInt(4, s);
                instance.addBatch();
            }
            study.executeBatch();
            series.executeBatch();
            version.executeBatch();
            instance.executeBatch();
        }
    }

    /** Spreads the studies over ten years of dates from 2015-01-01, about 27 studies a day. */
    private static String studyDate(int s) {
        return LocalDate.of(2015, 1, 1).plusDays(s % 3650).format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    @AfterAll
    void close() {
        index.close();
    }

    private static FindQuery studyQuery(QueryAttribute attribute, Matching matching) throws InvalidQueryException {
        return FindQuery.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, Map.of(attribute, matching), true);
    }

    private static List<FindQuery> typicalQueries(Random random) throws InvalidQueryException {
        int patient = 1 + random.nextInt(STUDIES / STUDIES_PER_PATIENT);
        int study = 1 + random.nextInt(STUDIES);
        int month = 1 + random.nextInt(12);
        String from = String.format("2020%02d01", month);
        return List.of(
                studyQuery(QueryAttribute.PATIENT_ID, new Matching.SingleValue("PID-" + patient)),
                studyQuery(QueryAttribute.PATIENT_NAME, new Matching.Wildcard("name" + patient + "^*")),
                studyQuery(QueryAttribute.STUDY_DATE, new Matching.Range(from, from.substring(0, 6) + "07")),
                studyQuery(QueryAttribute.ACCESSION_NUMBER, new Matching.SingleValue("ACC-" + study)));
    }

    @Test
    @DisplayName("study-level queries by PatientID, name prefix, date range and accession search an index")
    void studyQueriesUseIndexes() throws Exception {
        for (FindQuery query : typicalQueries(new Random(SEED))) {
            List<String> plan = queries.explain(query);

            assertThat(plan).as("plan of %s: %s", query.keys(), plan)
                    .noneMatch(step -> step.startsWith("SCAN ") && !step.contains("USING"));
            assertThat(plan).as("plan of %s: %s", query.keys(), plan)
                    .anyMatch(step -> step.startsWith("SEARCH ") && step.contains("INDEX"));
        }
    }

    @Test
    @DisplayName("each typical study-level query finds its studies")
    void typicalQueriesFindStudies() throws Exception {
        List<FindQuery> typical = typicalQueries(new Random(SEED));
        for (FindQuery query : typical) {
            long[] matches = {0};
            queries.find(query, match -> ++matches[0] > 0);
            assertThat(matches[0]).as("matches of %s (seed %d)", query.keys(), SEED).isPositive();
        }
    }

    @Test
    @DisplayName("latency of 200 study-level queries over 100,000 studies (printed, not asserted)")
    void printLatency() throws Exception {
        Random random = new Random(SEED);
        long[] nanos = new long[200];
        int n = 0;
        while (n < nanos.length) {
            for (FindQuery query : typicalQueries(random)) {
                long start = System.nanoTime();
                queries.find(query, match -> true);
                nanos[n++] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("C-FIND study-level queries over %,d studies: p50 %.2f ms, p99 %.2f ms (%d queries,"
                + " seed %d)%n", STUDIES, nanos[99] / 1e6, nanos[197] / 1e6, nanos.length, SEED);
        assertThat(nanos[0]).isPositive();
    }
}
