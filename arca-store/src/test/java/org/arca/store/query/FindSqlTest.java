package org.arca.store.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FindSqlTest {

    private static FindSql build(QueryLevel level, Map<QueryAttribute, Matching> keys) throws Exception {
        return FindSql.build(FindQuery.of(InformationModel.STUDY_ROOT, level, keys, true));
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.4: literal [ and non-wildcard * ? are escaped in GLOB patterns")
    void globEscapes() {
        assertThat(FindSql.glob("A[B]*?", true)).isEqualTo("A[[]B]*?");
        assertThat(FindSql.glob("A*?", false)).isEqualTo("A[*][?]");
        assertThat(FindSql.glob("50%_x", true)).isEqualTo("50%_x");
        assertThat(FindSql.literalPrefix("AB?C*")).isEqualTo("AB");
        assertThat(FindSql.literalPrefix("*AB")).isEmpty();
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.1: single value matching is an equality with one parameter")
    void singleValueIsEquality() throws Exception {
        FindSql sql = build(QueryLevel.STUDY, Map.of(QueryAttribute.ACCESSION_NUMBER, new Matching.SingleValue("A1")));

        assertThat(sql.sql()).contains("s.accession_number = ?");
        assertThat(sql.parameters()).containsExactly("A1");
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.2: a UID list becomes IN with one parameter per UID")
    void uidListIsIn() throws Exception {
        FindSql sql = build(QueryLevel.STUDY,
                Map.of(QueryAttribute.STUDY_INSTANCE_UID, new Matching.ValueList(List.of("1.2", "1.3"))));

        assertThat(sql.sql()).contains("s.study_instance_uid IN (?, ?)");
        assertThat(sql.parameters()).containsExactly("1.2", "1.3");
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.4: a PN wildcard matches the upper-cased name through a prefix range")
    void personNameWildcard() throws Exception {
        FindSql sql = build(QueryLevel.STUDY, Map.of(QueryAttribute.PATIENT_NAME, new Matching.Wildcard("doe*")));

        assertThat(sql.sql()).contains("p.patient_name_upper GLOB ?", "p.patient_name_upper >= ?");
        assertThat(sql.parameters()).containsExactly("DOE*", "DOE*=*", "DOE", "DOE" + FindSql.MAX_CODE_POINT);
    }

    @Test
    @DisplayName("PS3.4 C.2.2.2.5: a TM upper bound includes every time that starts with it")
    void timeRangeUpperBound() throws Exception {
        FindSql sql = build(QueryLevel.STUDY, Map.of(QueryAttribute.STUDY_TIME, new Matching.Range("10", "12")));

        assertThat(sql.sql()).contains("s.study_time >= ?", "s.study_time <= ?");
        assertThat(sql.parameters()).containsExactly("10", "12" + FindSql.MAX_CODE_POINT);
    }

    @Test
    @DisplayName("current versions only: series without current instances are left out")
    void seriesNeedCurrentInstances() throws Exception {
        FindSql sql = build(QueryLevel.SERIES,
                Map.of(QueryAttribute.STUDY_INSTANCE_UID, new Matching.SingleValue("1.2")));

        assertThat(sql.sql()).contains("se.number_of_instances > 0");
    }

    @Test
    @DisplayName("PS3.4 C.4.1.2.1: a level below the top needs single values in the unique keys above")
    void missingUniqueKeyIsRejected() {
        assertThatThrownBy(() -> build(QueryLevel.SERIES, Map.of()))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("STUDY_INSTANCE_UID");
        assertThatThrownBy(() -> build(QueryLevel.IMAGE, Map.of(
                QueryAttribute.STUDY_INSTANCE_UID, new Matching.SingleValue("1.2"),
                QueryAttribute.SERIES_INSTANCE_UID, new Matching.Wildcard("1.*"))))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("SERIES_INSTANCE_UID");
        assertThatThrownBy(() -> FindQuery.of(InformationModel.PATIENT_ROOT, QueryLevel.STUDY, Map.of(), true))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("PATIENT_ID");
    }

    @Test
    @DisplayName("PS3.4 C.6.2: Study Root has no PATIENT level")
    void studyRootHasNoPatientLevel() {
        assertThatThrownBy(() -> build(QueryLevel.PATIENT, Map.of()))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("PATIENT");
    }
}
