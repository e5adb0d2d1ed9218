package org.arca.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks that SQLite runs each study-level query through an index, not by scanning a table. */
class IndexQueryPlanTest {

    @TempDir
    Path dir;

    private Index index;

    @BeforeEach
    void openAndFill() {
        index = Index.open(dir.resolve("arca.sqlite"));
        for (int i = 1; i <= 200; i++) {
            index.applyInstanceStored(new RecordBuilder().sequence(i)
                    .patient("PID-" + (i % 50), "Name" + (i % 50) + "^Given")
                    .study("2.25." + i, String.format("2024%02d%02d", 1 + i % 12, 1 + i % 28), "ACC-" + i)
                    .series("2.25." + i + ".1", "CT")
                    .instance("2.25." + i + ".1.1", 1, RecordBuilder.sha256Of(i))
                    .build());
        }
    }

    @AfterEach
    void close() {
        index.close();
    }

    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of("PatientID", StudyLevelQueries.BY_PATIENT_ID, List.of("PID-7")),
                Arguments.of("PatientName prefix", StudyLevelQueries.BY_PATIENT_NAME_PREFIX, List.of("NAME1", "NAME1\uFFFF")),
                Arguments.of("StudyDate range", StudyLevelQueries.BY_STUDY_DATE_RANGE, List.of("20240301", "20240331")),
                Arguments.of("AccessionNumber", StudyLevelQueries.BY_ACCESSION_NUMBER, List.of("ACC-17")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void studyQueryUsesIndex(String key, String sql, List<String> parameters) {
        List<String> plan = index.read("explain " + key,
                c -> Jdbc.queryList(c, "EXPLAIN QUERY PLAN " + sql, row -> row.getString("detail"),
                        parameters.toArray()));

        assertThat(plan).as("query plan for %s: %s", key, plan)
                .noneMatch(step -> step.startsWith("SCAN ") && !step.contains("USING"));
        assertThat(plan).as("query plan for %s: %s", key, plan)
                .anyMatch(step -> step.startsWith("SEARCH ") && step.contains("INDEX"));
    }
}
