package org.arca.store.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arca.store.index.Index;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs C-FIND queries against a real index file with a small, known archive. */
class FindQueriesTest {

    private static final String JAPANESE = "Yamada^Tarou=山田^太郎=やまだ^たろう";

    @TempDir
    Path dir;

    private Index index;
    private FindQueries queries;
    private long sequence;

    @BeforeEach
    void openAndFill() {
        index = Index.open(dir.resolve("arca.sqlite"));
        queries = new FindQueries(index);
        TestRecords doe = new TestRecords().patient("PID-1", "Doe^Jane");
        store(doe.study("2.25.1", "20240115", "101500", "ACC-1").series("2.25.1.1", "CT").instance("2.25.1.1.1", 1));
        store(doe.instance("2.25.1.1.2", 1));
        store(doe.series("2.25.1.2", "MR").instance("2.25.1.2.1", 1));
        store(doe.study("2.25.2", "20240301", "143000", "ACC-2").series("2.25.2.1", "CR").instance("2.25.2.1.1", 1));
        TestRecords smith = new TestRecords().patient("PID-2", "Smith^John");
        store(smith.study("2.25.3", "20231231", "080000", "ACC_%[3]").series("2.25.3.1", "CT")
                .instance("2.25.3.1.1", 1));
        TestRecords yamada = new TestRecords().patient("PID-3", JAPANESE);
        store(yamada.study("2.25.4", "20240115", "120000", "ACC-4").series("2.25.4.1", "MR")
                .instance("2.25.4.1.1", 1));

        // Version 1 of 2.25.9.1.1 is in a study of its own; version 2 moves it into Smith's study.
        TestRecords moved = new TestRecords().patient("PID-4", "Old^Version");
        store(moved.study("2.25.9", "20200101", "090000", "ACC-9").series("2.25.9.1", "OT")
                .instance("2.25.9.1.1", 1));
        store(smith.series("2.25.3.2", "SR").instance("2.25.9.1.1", 2));
    }

    private void store(TestRecords record) {
        sequence++;
        index.applyInstanceStored(record.build(sequence));
    }

    @AfterEach
    void close() {
        index.close();
    }

    private List<QueryMatch> find(InformationModel model, QueryLevel level, boolean caseInsensitive,
            Object... keyAndMatching) throws Exception {
        Map<QueryAttribute, Matching> keys = new HashMap<>();
        for (int i = 0; i < keyAndMatching.length; i += 2) {
            keys.put((QueryAttribute) keyAndMatching[i], (Matching) keyAndMatching[i + 1]);
        }
        List<QueryMatch> matches = new ArrayList<>();
        queries.find(FindQuery.of(model, level, keys, caseInsensitive), matches::add);
        return matches;
    }

    private List<String> studies(Object... keyAndMatching) throws Exception {
        return values(find(InformationModel.STUDY_ROOT, QueryLevel.STUDY, true, keyAndMatching),
                QueryAttribute.STUDY_INSTANCE_UID);
    }

    private static List<String> values(List<QueryMatch> matches, QueryAttribute attribute) {
        return matches.stream().map(m -> m.value(attribute)).sorted().toList();
    }

    private static Matching single(String value) {
        return new Matching.SingleValue(value);
    }

    private static Matching wildcard(String pattern) {
        return new Matching.Wildcard(pattern);
    }

    @Test
    @DisplayName("PS3.4 C.6.1.1.2: PATIENT level lists patients with current instances, with their counts")
    void patientLevelWithCounts() throws Exception {
        List<QueryMatch> matches = find(InformationModel.PATIENT_ROOT, QueryLevel.PATIENT, true,
                QueryAttribute.PATIENT_ID, new Matching.Universal(),
                QueryAttribute.NUMBER_OF_PATIENT_RELATED_STUDIES, new Matching.Universal(),
                QueryAttribute.NUMBER_OF_PATIENT_RELATED_SERIES, new Matching.Universal(),
                QueryAttribute.NUMBER_OF_PATIENT_RELATED_INSTANCES, new Matching.Universal());

        assertThat(values(matches, QueryAttribute.PATIENT_ID)).containsExactly("PID-1", "PID-2", "PID-3");
        QueryMatch doe = matches.stream().filter(m -> m.value(QueryAttribute.PATIENT_ID).equals("PID-1"))
                .findFirst().orElseThrow();
        assertThat(doe.value(QueryAttribute.NUMBER_OF_PATIENT_RELATED_STUDIES)).isEqualTo("2");
        assertThat(doe.value(QueryAttribute.NUMBER_OF_PATIENT_RELATED_SERIES)).isEqualTo("3");
        assertThat(doe.value(QueryAttribute.NUMBER_OF_PATIENT_RELATED_INSTANCES)).isEqualTo("4");
    }

    @Test
    @DisplayName("PS3.4 C.6.1.1.3: Patient Root STUDY level under one PatientID")
    void patientRootStudyLevel() throws Exception {
        List<QueryMatch> matches = find(InformationModel.PATIENT_ROOT, QueryLevel.STUDY, true,
                QueryAttribute.PATIENT_ID, single("PID-1"), QueryAttribute.MODALITIES_IN_STUDY,
                new Matching.Universal());

        assertThat(values(matches, QueryAttribute.STUDY_INSTANCE_UID)).containsExactly("2.25.1", "2.25.2");
        assertThat(values(matches, QueryAttribute.MODALITIES_IN_STUDY)).containsExactly("CR", "CT\\MR");
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.1: single value matching on PatientID and AccessionNumber")
    void singleValue() throws Exception {
        assertThat(studies(QueryAttribute.PATIENT_ID, single("PID-2"))).containsExactly("2.25.3");
        assertThat(studies(QueryAttribute.ACCESSION_NUMBER, single("ACC_%[3]"))).containsExactly("2.25.3");
        assertThat(studies(QueryAttribute.ACCESSION_NUMBER, single("ACC-"))).isEmpty();
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.2: list of UID matching")
    void uidList() throws Exception {
        assertThat(studies(QueryAttribute.STUDY_INSTANCE_UID, new Matching.ValueList(List.of("2.25.1", "2.25.3"))))
                .containsExactly("2.25.1", "2.25.3");
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.4: wildcards, with %, _ and [ in values taken literally")
    void wildcards() throws Exception {
        assertThat(studies(QueryAttribute.ACCESSION_NUMBER, wildcard("ACC-?"))).containsExactly("2.25.1", "2.25.2",
                "2.25.4");
        assertThat(studies(QueryAttribute.ACCESSION_NUMBER, wildcard("ACC?%*"))).containsExactly("2.25.3");
        assertThat(studies(QueryAttribute.ACCESSION_NUMBER, wildcard("*[3]"))).containsExactly("2.25.3");
        assertThat(studies(QueryAttribute.ACCESSION_NUMBER, wildcard("ACC_*"))).containsExactly("2.25.3");
        assertThat(studies(QueryAttribute.STUDY_DESCRIPTION, wildcard("ct*"))).isEmpty();
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.5: date ranges A-B, -B and A-")
    void dateRanges() throws Exception {
        assertThat(studies(QueryAttribute.STUDY_DATE, new Matching.Range("20240101", "20240131")))
                .containsExactly("2.25.1", "2.25.4");
        assertThat(studies(QueryAttribute.STUDY_DATE, new Matching.Range(null, "20231231")))
                .containsExactly("2.25.3");
        assertThat(studies(QueryAttribute.STUDY_DATE, new Matching.Range("20240201", null)))
                .containsExactly("2.25.2");
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.5: time ranges include the whole of a shorter upper bound")
    void timeRanges() throws Exception {
        assertThat(studies(QueryAttribute.STUDY_TIME, new Matching.Range("1000", "1200")))
                .containsExactly("2.25.1", "2.25.4");
        assertThat(studies(QueryAttribute.STUDY_TIME, new Matching.Range(null, "08"))).containsExactly("2.25.3");
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.1: PN matches ignoring case by default, and exactly when configured")
    void personNameCase() throws Exception {
        assertThat(studies(QueryAttribute.PATIENT_NAME, wildcard("doe*"))).containsExactly("2.25.1", "2.25.2");
        assertThat(studies(QueryAttribute.PATIENT_NAME, single("smith^john"))).containsExactly("2.25.3");
        assertThat(studies(QueryAttribute.REFERRING_PHYSICIAN_NAME, single("house^gregory"))).hasSize(4);

        List<QueryMatch> exact = find(InformationModel.STUDY_ROOT, QueryLevel.STUDY, false,
                QueryAttribute.PATIENT_NAME, wildcard("doe*"));
        assertThat(exact).isEmpty();
        List<QueryMatch> exactRightCase = find(InformationModel.STUDY_ROOT, QueryLevel.STUDY, false,
                QueryAttribute.PATIENT_NAME, wildcard("Doe*"));
        assertThat(exactRightCase).hasSize(2);
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.1: PN matches any component group, ideographic and phonetic too")
    void personNameComponentGroups() throws Exception {
        assertThat(studies(QueryAttribute.PATIENT_NAME, single("yamada^tarou"))).containsExactly("2.25.4");
        assertThat(studies(QueryAttribute.PATIENT_NAME, wildcard("山田*"))).containsExactly("2.25.4");
        assertThat(studies(QueryAttribute.PATIENT_NAME, single("やまだ^たろう"))).containsExactly("2.25.4");
        assertThat(studies(QueryAttribute.PATIENT_NAME, single(JAPANESE))).containsExactly("2.25.4");
        assertThat(studies(QueryAttribute.PATIENT_NAME, single("山田"))).isEmpty();
    }

    @Test
    @DisplayName("PS3.4 C.6.1.1.3: ModalitiesInStudy matches a study with any of the listed modalities")
    void modalitiesInStudy() throws Exception {
        assertThat(studies(QueryAttribute.MODALITIES_IN_STUDY, single("MR"))).containsExactly("2.25.1", "2.25.4");
        assertThat(studies(QueryAttribute.MODALITIES_IN_STUDY, new Matching.ValueList(List.of("CR", "SR"))))
                .containsExactly("2.25.2", "2.25.3");
    }

    @Test
    @DisplayName("PS3.4 C.6.2.1.3: SERIES level under one study, with its instance count")
    void seriesLevel() throws Exception {
        List<QueryMatch> matches = find(InformationModel.STUDY_ROOT, QueryLevel.SERIES, true,
                QueryAttribute.STUDY_INSTANCE_UID, single("2.25.1"),
                QueryAttribute.NUMBER_OF_SERIES_RELATED_INSTANCES, new Matching.Universal());

        assertThat(values(matches, QueryAttribute.SERIES_INSTANCE_UID)).containsExactly("2.25.1.1", "2.25.1.2");
        assertThat(values(matches, QueryAttribute.NUMBER_OF_SERIES_RELATED_INSTANCES)).containsExactly("1", "2");
        assertThat(values(find(InformationModel.STUDY_ROOT, QueryLevel.SERIES, true,
                QueryAttribute.STUDY_INSTANCE_UID, single("2.25.1"), QueryAttribute.MODALITY, single("CT")),
                QueryAttribute.SERIES_INSTANCE_UID)).containsExactly("2.25.1.1");
    }

    @Test
    @DisplayName("current versions only: a moved instance appears once, in the series of its newest version")
    void currentVersionsOnly() throws Exception {
        List<QueryMatch> images = find(InformationModel.STUDY_ROOT, QueryLevel.IMAGE, true,
                QueryAttribute.STUDY_INSTANCE_UID, single("2.25.3"),
                QueryAttribute.SERIES_INSTANCE_UID, single("2.25.3.2"));
        assertThat(values(images, QueryAttribute.SOP_INSTANCE_UID)).containsExactly("2.25.9.1.1");

        List<QueryMatch> oldSeries = find(InformationModel.STUDY_ROOT, QueryLevel.IMAGE, true,
                QueryAttribute.STUDY_INSTANCE_UID, single("2.25.9"),
                QueryAttribute.SERIES_INSTANCE_UID, single("2.25.9.1"));
        assertThat(oldSeries).isEmpty();
        assertThat(studies(QueryAttribute.STUDY_INSTANCE_UID, single("2.25.9"))).isEmpty();
        assertThat(studies(QueryAttribute.PATIENT_ID, single("PID-4"))).isEmpty();
    }

    @Test
    @DisplayName("PS3.4 C.6.1.1.5: IMAGE level in Patient Root needs all three unique keys above")
    void patientRootImageLevel() throws Exception {
        List<QueryMatch> images = find(InformationModel.PATIENT_ROOT, QueryLevel.IMAGE, true,
                QueryAttribute.PATIENT_ID, single("PID-1"), QueryAttribute.STUDY_INSTANCE_UID, single("2.25.1"),
                QueryAttribute.SERIES_INSTANCE_UID, single("2.25.1.1"),
                QueryAttribute.SOP_INSTANCE_UID, wildcard("*"));

        assertThat(values(images, QueryAttribute.SOP_INSTANCE_UID)).containsExactly("2.25.1.1.1", "2.25.1.1.2");
        assertThat(values(images, QueryAttribute.SOP_CLASS_UID)).containsOnly("1.2.840.10008.5.1.4.1.1.2");
    }

    @Test
    @DisplayName("PS3.4 C.4.1.3: a sink that stops (C-CANCEL) ends the query early")
    void sinkStopsQuery() throws Exception {
        List<QueryMatch> seen = new ArrayList<>();
        long accepted = queries.find(FindQuery.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, Map.of(), true),
                match -> {
                    seen.add(match);
                    return seen.size() < 2;
                });

        assertThat(accepted).isEqualTo(1);
        assertThat(seen).hasSize(2);
    }

    @Test
    @DisplayName("an IOException of the sink reaches the caller unchanged")
    void sinkFailurePropagates() throws Exception {
        IOException failure = new IOException("peer gone");
        FindQuery query = FindQuery.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, Map.of(), true);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queries.find(query, match -> {
            throw failure;
        })).isSameAs(failure);
    }
}
