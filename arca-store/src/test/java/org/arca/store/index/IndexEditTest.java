package org.arca.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index side of deletes, undeletes and study updates, on a real index file. */
class IndexEditTest {

    @TempDir
    Path dir;

    private Index index;

    @BeforeEach
    void open() {
        index = Index.open(dir.resolve("arca.sqlite"));
        index.applyInstanceStored(new RecordBuilder().sequence(1).instance("2.25.1.1.1", 1, RecordBuilder.sha256Of(1))
                .build());
        index.applyInstanceStored(new RecordBuilder().sequence(2).instance("2.25.1.1.2", 1, RecordBuilder.sha256Of(2))
                .build());
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void hideIsIdempotent() {
        assertThat(index.applyEdit(3, IndexEdit.hide(List.of("2.25.1.1.1")))).isTrue();
        assertThat(index.applyEdit(3, IndexEdit.hide(List.of("2.25.1.1.1")))).isFalse();

        assertThat(index.lastAppliedJournalSequence()).isEqualTo(3);
        assertThat(index.study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(1);
        assertThat(index.instanceState("2.25.1.1.1").orElseThrow().deletedSequence()).isEqualTo(3);
        assertThat(index.counts().instances()).isEqualTo(2);
    }

    @Test
    void showRestoresCounts() {
        index.applyEdit(3, IndexEdit.hide(List.of("2.25.1.1.1", "2.25.1.1.2")));
        assertThat(index.study("2.25.1")).isEmpty();

        index.applyEdit(4, IndexEdit.show(List.of("2.25.1.1.1", "2.25.1.1.2")));

        assertThat(index.study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(2);
        assertThat(index.study("2.25.1").orElseThrow().modalitiesInStudy()).isEqualTo("CT");
        assertThat(index.instanceState("2.25.1.1.1").orElseThrow().deleted()).isFalse();
    }

    @Test
    void unknownInstanceIsSkipped() {
        assertThat(index.applyEdit(3, IndexEdit.hide(List.of("2.25.404")))).isTrue();

        assertThat(index.lastAppliedJournalSequence()).isEqualTo(3);
        assertThat(index.study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(2);
    }

    @Test
    void newVersionShowsDeletedInstance() {
        index.applyEdit(3, IndexEdit.hide(List.of("2.25.1.1.1")));

        index.applyInstanceStored(new RecordBuilder().sequence(4).instance("2.25.1.1.1", 2, RecordBuilder.sha256Of(4))
                .build());

        assertThat(index.currentVersion("2.25.1.1.1").orElseThrow().version()).isEqualTo(2);
        assertThat(index.study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(2);
    }

    @Test
    void newInstanceCountsVisibleOnly() {
        index.applyEdit(3, IndexEdit.hide(List.of("2.25.1.1.1")));

        index.applyInstanceStored(new RecordBuilder().sequence(4).instance("2.25.1.1.3", 1, RecordBuilder.sha256Of(4))
                .build());

        StudyEntry study = index.study("2.25.1").orElseThrow();
        assertThat(study.numberOfInstances()).isEqualTo(2);
        assertThat(study.numberOfSeries()).isEqualTo(1);
        assertThat(index.series("2.25.1")).singleElement().extracting(SeriesEntry::numberOfInstances).isEqualTo(2);
    }

    @Test
    void newInstanceRevivesEmptySeries() {
        index.applyInstanceStored(new RecordBuilder().sequence(3).series("2.25.1.2", "MR")
                .instance("2.25.1.2.1", 1, RecordBuilder.sha256Of(3)).build());
        index.applyEdit(4, IndexEdit.hide(List.of("2.25.1.2.1")));
        assertThat(index.study("2.25.1").orElseThrow().modalitiesInStudy()).isEqualTo("CT");

        index.applyInstanceStored(new RecordBuilder().sequence(5).series("2.25.1.2", "MR")
                .instance("2.25.1.2.2", 1, RecordBuilder.sha256Of(5)).build());

        StudyEntry study = index.study("2.25.1").orElseThrow();
        assertThat(study.numberOfInstances()).isEqualTo(3);
        assertThat(study.numberOfSeries()).isEqualTo(2);
        assertThat(study.modalitiesInStudy()).isEqualTo("CT\\MR");
    }

    @Test
    void emptyValueClearsAttribute() {
        Map<String, String> values = new HashMap<>();
        values.put("StudyDescription", null);
        values.put("ReferringPhysicianName", "");
        index.applyEdit(3, IndexEdit.update(new StudyAttributes("2.25.1", values)));

        StudyEntry study = index.study("2.25.1").orElseThrow();
        assertThat(study.studyDescription()).isNull();
        assertThat(study.referringPhysicianName()).isNull();

        index.applyInstanceStored(new RecordBuilder().sequence(4).instance("2.25.1.1.3", 1, RecordBuilder.sha256Of(4))
                .build());
        assertThat(index.study("2.25.1").orElseThrow().studyDescription()).as("not filled in by a later ingest")
                .isNull();
    }

    @Test
    void studyAttributesListEveryKeyword() {
        Map<String, String> attributes = index.studyAttributes("2.25.1").get("2.25.1");

        assertThat(attributes.keySet()).containsExactly("StudyDate", "StudyTime", "AccessionNumber", "StudyID",
                "StudyDescription", "ReferringPhysicianName", "PatientID", "IssuerOfPatientID", "PatientName",
                "PatientBirthDate", "PatientSex");
        assertThat(attributes.get("PatientID")).isEqualTo("PID-1");
        assertThat(attributes.get("IssuerOfPatientID")).isEqualTo("HOSP");
    }
}
