package org.arca.store.cdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arca.store.blob.BlobId;
import org.arca.store.cdp.TestArchive.Instance;
import org.arca.store.index.InstanceVersion;
import org.arca.store.index.PatientEntry;
import org.arca.store.index.StudyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Study and patient attribute updates against a real data directory. */
class UpdateStudyTest {

    private static final ChangeAuthor ADMIN = new ChangeAuthor("admin", "RIS correction");

    @TempDir
    Path temp;

    private TestArchive archive;

    @BeforeEach
    void fill() throws Exception {
        archive = TestArchive.open(temp.resolve("arca-data"), Instant.parse("2026-12-04T08:00:00Z"));
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1").patientName("Wrong^Patient"));
        archive.store(Instance.of("PID-2", "2.25.2", "2.25.2.1", "2.25.2.1.1").patientName("Right^Patient"));
        archive.store(Instance.of("PID-1", "2.25.3", "2.25.3.1", "2.25.3.1.1").patientName("Wrong^Patient"));
    }

    @AfterEach
    void close() throws Exception {
        archive.close();
    }

    @Test
    void studyAttributesChange() throws Exception {
        archive.changes().updateStudy("2.25.1", Map.of("AccessionNumber", "ACC-NEW", "StudyDate", "20260101",
                "StudyDescription", "CT Head"), ADMIN);

        StudyEntry study = archive.index().study("2.25.1").orElseThrow();
        assertThat(study.accessionNumber()).isEqualTo("ACC-NEW");
        assertThat(study.studyDate()).isEqualTo("20260101");
        assertThat(study.studyDescription()).isEqualTo("CT Head");
        assertThat(archive.index().studiesByAccessionNumber("ACC-NEW")).hasSize(1);
        assertThat(archive.snapshot()).anyMatch(line -> line.startsWith("STUDY") && line.contains("ACC-NEW"));
    }

    @Test
    void patientIdMergesIntoExistingPatient() throws Exception {
        archive.changes().updateStudy("2.25.1", Map.of("PatientID", "PID-2"), ADMIN);

        assertThat(archive.index().studiesByPatientId("PID-2")).extracting(StudyEntry::studyInstanceUid)
                .containsExactlyInAnyOrder("2.25.1", "2.25.2");
        assertThat(archive.index().study("2.25.1").orElseThrow().patientName()).isEqualTo("Right^Patient");
        assertThat(archive.index().studiesByPatientId("PID-1")).extracting(StudyEntry::studyInstanceUid)
                .containsExactly("2.25.3");
    }

    @Test
    void patientIdCreatesNewPatient() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PatientID", "PID-9");
        values.put("PatientName", "New^Name");
        values.put("PatientSex", "M");
        archive.changes().updateStudy("2.25.1", values, ADMIN);

        PatientEntry moved = archive.index().patients().stream().filter(p -> p.patientId().equals("PID-9"))
                .findFirst().orElseThrow();
        assertThat(moved.patientName()).isEqualTo("New^Name");
        assertThat(moved.patientSex()).isEqualTo("M");
        assertThat(moved.numberOfStudies()).isEqualTo(1);
        assertThat(archive.index().study("2.25.3").orElseThrow().patientName()).isEqualTo("Wrong^Patient");
    }

    @Test
    void patientNameUpdatesEveryStudyOfPatient() throws Exception {
        ChangeResult result = archive.changes().updateStudy("2.25.1", Map.of("PatientName", "Fixed^Name"), ADMIN);

        assertThat(result.summary()).as("names the other study it changes").contains("1 other studies")
                .contains("2.25.3");
        assertThat(archive.index().study("2.25.3").orElseThrow().patientName()).isEqualTo("Fixed^Name");
        assertThat(archive.index().studiesByPatientNamePrefix("fixed")).hasSize(2);
    }

    @Test
    void restorePlanNamesStudiesSharingPatient() throws Exception {
        archive.clock.set(Instant.parse("2026-12-04T09:00:00Z"));
        archive.changes().updateStudy("2.25.1", Map.of("PatientName", "Fixed^Name"), ADMIN);
        archive.clock.set(Instant.parse("2026-12-04T10:00:00Z"));

        RestorePlan plan = archive.changes().planRestore(Instant.parse("2026-12-04T08:30:00Z"), "2.25.1");

        assertThat(plan.changes()).extracting(PlannedChange::uid).contains("2.25.1", "2.25.3");
        assertThat(plan.changes()).filteredOn(change -> change.uid().equals("2.25.3")).singleElement()
                .satisfies(change -> assertThat(change.description()).contains("shares the patient")
                        .contains("PatientName"));
    }

    @Test
    void laterIngestKeepsUpdate() throws Exception {
        archive.changes().updateStudy("2.25.1", Map.of("PatientID", "PID-2", "AccessionNumber", "ACC-NEW"), ADMIN);

        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.2").patientName("Wrong^Patient"));

        StudyEntry study = archive.index().study("2.25.1").orElseThrow();
        assertThat(study.patientId()).isEqualTo("PID-2");
        assertThat(study.accessionNumber()).isEqualTo("ACC-NEW");
        assertThat(study.numberOfInstances()).isEqualTo(2);
    }

    @Test
    void updateKeepsStoredBytes() throws Exception {
        InstanceVersion before = archive.index().currentVersion("2.25.1.1.1").orElseThrow();
        byte[] bytes = Files.readAllBytes(archive.data.blobs().pathOf(BlobId.of(before.blobSha256())));

        archive.changes().updateStudy("2.25.1", Map.of("PatientName", "Fixed^Name"), ADMIN);

        InstanceVersion after = archive.index().currentVersion("2.25.1.1.1").orElseThrow();
        assertThat(after.blobSha256()).isEqualTo(before.blobSha256());
        assertThat(Files.readAllBytes(archive.data.blobs().pathOf(BlobId.of(after.blobSha256())))).isEqualTo(bytes);
    }

    @Test
    void updateSurvivesReplay() throws Exception {
        archive.changes().updateStudy("2.25.1", Map.of("PatientID", "PID-2", "StudyID", "S1"), ADMIN);
        Path indexFile = archive.root.resolve("index");
        archive.close();
        try (var files = Files.walk(indexFile)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }

        archive = TestArchive.open(archive.root, Instant.parse("2026-12-04T09:00:00Z"));

        StudyEntry study = archive.index().study("2.25.1").orElseThrow();
        assertThat(study.patientId()).isEqualTo("PID-2");
        assertThat(study.studyId()).isEqualTo("S1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "StudyDate | 2026-01-01 | StudyDate",
            "StudyDate | 20260231 | StudyDate",
            "PatientBirthDate | 1970 | PatientBirthDate",
            "StudyTime | 256000 | StudyTime",
            "AccessionNumber | ABCDEFGHIJKLMNOPQ | AccessionNumber",
            "PatientSex | X | PatientSex",
            "PatientName | A=B=C=D | PatientName",
            "StudyDescription | two\\values | StudyDescription",
            "Modality | MR | Modality",
            "patientname | Doe | patientname"})
    void invalidValueIsRejected(String keyword, String value, String named) {
        assertThatThrownBy(() -> archive.changes().updateStudy("2.25.1", Map.of(keyword, value), ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.INVALID))
                .hasMessageContaining(named);
        assertThat(archive.index().study("2.25.1").orElseThrow().accessionNumber()).isEqualTo("ACC-2.25.1");
    }

    @Test
    void emptyPatientIdIsRejected() {
        assertThatThrownBy(() -> archive.changes().updateStudy("2.25.1", Map.of("PatientID", ""), ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.INVALID))
                .hasMessageContaining("PatientID");
    }

    @Test
    void unknownOrDeletedStudyIsRejected() throws Exception {
        assertThatThrownBy(() -> archive.changes().updateStudy("2.25.9", Map.of("StudyID", "1"), ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.NOT_FOUND));
        archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN);
        assertThatThrownBy(() -> archive.changes().updateStudy("2.25.1", Map.of("StudyID", "1"), ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.CONFLICT));
    }

    @Test
    void sameValuesAreConflict() {
        assertThatThrownBy(() -> archive.changes().updateStudy("2.25.1", Map.of("AccessionNumber", "ACC-2.25.1"),
                ADMIN)).isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.CONFLICT));
    }
}
