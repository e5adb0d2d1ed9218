package org.arca.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexHierarchyTest {

    @TempDir
    Path dir;

    private Index index;

    @BeforeEach
    void openAndFill() {
        index = Index.open(dir.resolve("arca.sqlite"));
        long sequence = 1;
        // Patient A: study 1 with a CT series of 3 instances and an MR series of 2; study 2 with one SR.
        sequence = store(sequence, "PID-A", "Alpha^Ann", "2.25.10", "2.25.10.1", "CT", 3);
        sequence = store(sequence, "PID-A", "Alpha^Ann", "2.25.10", "2.25.10.2", "MR", 2);
        sequence = store(sequence, "PID-A", "Alpha^Ann", "2.25.11", "2.25.11.1", "SR", 1);
        // Patient B: one study with one CT series of 4 instances.
        store(sequence, "PID-B", "Beta^Bob", "2.25.20", "2.25.20.1", "CT", 4);
    }

    private long store(long firstSequence, String patientId, String patientName, String studyUid, String seriesUid,
            String modality, int instances) {
        long sequence = firstSequence;
        for (int i = 1; i <= instances; i++) {
            RecordBuilder builder = new RecordBuilder().sequence(sequence)
                    .patient(patientId, patientName)
                    .study(studyUid, "20240101", "ACC-" + studyUid)
                    .series(seriesUid, modality)
                    .instance(seriesUid + "." + i, 1, RecordBuilder.sha256Of(sequence));
            builder.instanceNumber = String.valueOf(instances - i + 1);
            index.applyInstanceStored(builder.build());
            sequence++;
        }
        return sequence;
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void countsAtEveryLevel() {
        assertThat(index.counts()).isEqualTo(new IndexCounts(2, 3, 4, 10, 10));
        assertThat(index.lastAppliedJournalSequence()).isEqualTo(10);
    }

    @Test
    void patientsListStudyCounts() {
        assertThat(index.patients()).extracting(PatientEntry::patientId, PatientEntry::numberOfStudies)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PID-A", 2),
                        org.assertj.core.groups.Tuple.tuple("PID-B", 1));
    }

    @Test
    void studyCountsAndModalities() {
        long patientKey = index.patients().get(0).patientKey();

        assertThat(index.studies(patientKey))
                .extracting(StudyEntry::studyInstanceUid, StudyEntry::modalitiesInStudy,
                        StudyEntry::numberOfSeries, StudyEntry::numberOfInstances)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("2.25.10", "CT\\MR", 2, 5),
                        org.assertj.core.groups.Tuple.tuple("2.25.11", "SR", 1, 1));
    }

    @Test
    void seriesCounts() {
        assertThat(index.series("2.25.10"))
                .extracting(SeriesEntry::seriesInstanceUid, SeriesEntry::modality, SeriesEntry::numberOfInstances)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("2.25.10.1", "CT", 3),
                        org.assertj.core.groups.Tuple.tuple("2.25.10.2", "MR", 2));
    }

    @Test
    void instancesOrderedByInstanceNumber() {
        assertThat(index.instancesOfSeries("2.25.20.1", false))
                .extracting(InstanceVersion::instanceNumber)
                .containsExactly("1", "2", "3", "4");
        assertThat(index.instancesOfStudy("2.25.10", false)).hasSize(5);
    }

    @Test
    void studyLevelLookups() {
        assertThat(index.studiesByPatientId("PID-A")).extracting(StudyEntry::studyInstanceUid)
                .containsExactlyInAnyOrder("2.25.10", "2.25.11");
        assertThat(index.studiesByPatientNamePrefix("beta")).extracting(StudyEntry::studyInstanceUid)
                .containsExactly("2.25.20");
        assertThat(index.studiesByAccessionNumber("ACC-2.25.11")).extracting(StudyEntry::studyInstanceUid)
                .containsExactly("2.25.11");
        assertThat(index.studiesByStudyDateRange("20240101", "20240101")).hasSize(3);
        assertThat(index.studiesByStudyDateRange("20240102", null)).isEmpty();
        assertThat(index.studiesByStudyDateRange(null, "20231231")).isEmpty();
    }

    @Test
    void unknownStudyIsEmpty() {
        assertThat(index.study("2.25.404")).isEmpty();
        assertThat(index.series("2.25.404")).isEmpty();
        assertThat(index.instancesOfStudy("2.25.404", true)).isEmpty();
    }
}
