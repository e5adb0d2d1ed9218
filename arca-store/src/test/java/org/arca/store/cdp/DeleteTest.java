package org.arca.store.cdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.arca.store.cdp.TestArchive.Instance;
import org.arca.store.index.InstanceVersion;
import org.arca.store.index.StudyEntry;
import org.arca.store.ingest.IngestResult;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delete and undelete at each level against a real data directory. */
class DeleteTest {

    private static final ChangeAuthor ADMIN = new ChangeAuthor("admin", "wrong patient");

    @TempDir
    Path temp;

    private TestArchive archive;

    @BeforeEach
    void fill() throws Exception {
        archive = TestArchive.open(temp.resolve("arca-data"), Instant.parse("2026-12-04T08:00:00Z"));
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1"));
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.2"));
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.2", "2.25.1.2.1"));
        archive.store(Instance.of("PID-2", "2.25.2", "2.25.2.1", "2.25.2.1.1"));
    }

    @AfterEach
    void close() throws Exception {
        archive.close();
    }

    @Test
    void deleteStudyHidesEveryReadPath() throws Exception {
        ChangeResult result = archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN);

        assertThat(result.instancesAffected()).isEqualTo(3);
        assertThat(result.journalSequence()).isEqualTo(archive.data.journal().lastSequence());
        assertThat(archive.index().study("2.25.1")).isEmpty();
        assertThat(archive.index().series("2.25.1")).isEmpty();
        assertThat(archive.index().instancesOfStudy("2.25.1", false)).isEmpty();
        assertThat(archive.index().instancesOfStudy("2.25.1", true)).isEmpty();
        assertThat(archive.index().instancesOfSeries("2.25.1.1", false)).isEmpty();
        assertThat(archive.index().currentVersion("2.25.1.1.1")).isEmpty();
        assertThat(archive.index().studiesByPatientId("PID-1")).isEmpty();
        assertThat(archive.index().patients()).extracting(p -> p.patientId()).containsExactly("PID-2");
        assertThat(archive.snapshot()).noneMatch(line -> line.contains("2.25.1") && !line.contains("2.25.2"))
                .anyMatch(line -> line.contains("2.25.2.1.1"));
    }

    @Test
    void deleteKeepsBlobs() throws Exception {
        InstanceVersion stored = archive.index().currentVersion("2.25.1.1.1").orElseThrow();

        archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN);

        assertThat(Files.exists(archive.data.blobs().pathOf(org.arca.store.blob.BlobId.of(stored.blobSha256()))))
                .isTrue();
        assertThat(archive.index().versions("2.25.1.1.1")).hasSize(1);
    }

    @Test
    void deleteSeriesUpdatesCounts() throws Exception {
        archive.changes().delete(ChangeLevel.SERIES, "2.25.1.1", ADMIN);

        StudyEntry study = archive.index().study("2.25.1").orElseThrow();
        assertThat(study.numberOfInstances()).isEqualTo(1);
        assertThat(study.numberOfSeries()).isEqualTo(1);
        assertThat(archive.index().series("2.25.1")).extracting(s -> s.seriesInstanceUid())
                .containsExactly("2.25.1.2");
    }

    @Test
    void deleteInstanceUpdatesCounts() throws Exception {
        archive.changes().delete(ChangeLevel.INSTANCE, "2.25.1.1.2", ADMIN);

        assertThat(archive.index().study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(2);
        assertThat(archive.index().instancesOfSeries("2.25.1.1", false)).extracting(InstanceVersion::sopInstanceUid)
                .containsExactly("2.25.1.1.1");
    }

    @Test
    void undeleteAtEachLevel() throws Exception {
        archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN);
        archive.changes().undelete(ChangeLevel.INSTANCE, "2.25.1.2.1", ADMIN);
        assertThat(archive.index().study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(1);

        archive.changes().undelete(ChangeLevel.SERIES, "2.25.1.1", ADMIN);
        assertThat(archive.index().study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(3);

        archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN);
        ChangeResult result = archive.changes().undelete(ChangeLevel.STUDY, "2.25.1", ADMIN);
        assertThat(result.instancesAffected()).isEqualTo(3);
        assertThat(archive.index().instancesOfStudy("2.25.1", false)).hasSize(3);
    }

    @Test
    void unknownUidIsNotFound() {
        assertThatThrownBy(() -> archive.changes().delete(ChangeLevel.STUDY, "2.25.99", ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.NOT_FOUND))
                .hasMessageContaining("Study 2.25.99");
        assertThatThrownBy(() -> archive.changes().delete(ChangeLevel.SERIES, "2.25.1", ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.NOT_FOUND));
    }

    @Test
    void deleteTwiceIsConflict() throws Exception {
        long sequence = archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN).journalSequence();

        assertThatThrownBy(() -> archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.CONFLICT))
                .hasMessageContaining("already deleted (journal record " + sequence + ")");
        assertThatThrownBy(() -> archive.changes().undelete(ChangeLevel.STUDY, "2.25.2", ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.CONFLICT));
    }

    @Test
    void deleteWithoutReasonIsInvalid() {
        assertThatThrownBy(() -> archive.changes().delete(ChangeLevel.STUDY, "2.25.1", new ChangeAuthor("admin", " ")))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.INVALID));
        assertThat(archive.index().study("2.25.1")).isPresent();
    }

    @Test
    void deleteSurvivesReopen() throws Exception {
        archive.changes().delete(ChangeLevel.SERIES, "2.25.1.1", ADMIN);

        archive = archive.reopen();

        assertThat(archive.index().study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(1);
    }

    @Test
    void resentBytesOfDeletedInstanceReappear() throws Exception {
        archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN);

        IngestResult result = archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1"));

        assertThat(result.duplicate()).isTrue();
        assertThat(result.journalSequence()).isEqualTo(archive.data.journal().lastSequence());
        assertThat(typeOf(result.journalSequence())).isEqualTo(JournalRecordTypes.UNDELETED);
        assertThat(archive.index().instancesOfStudy("2.25.1", false)).extracting(InstanceVersion::sopInstanceUid)
                .containsExactly("2.25.1.1.1");
        assertThat(archive.index().currentVersion("2.25.1.1.1").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void resentOtherBytesOfDeletedInstanceIsNewVersion() throws Exception {
        archive.changes().delete(ChangeLevel.INSTANCE, "2.25.1.1.1", ADMIN);

        IngestResult result = archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1").otherBytes(7));

        assertThat(result.version()).isEqualTo(2);
        assertThat(archive.index().currentVersion("2.25.1.1.1").orElseThrow().version()).isEqualTo(2);
        assertThat(archive.index().study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(3);
    }

    @Test
    void resentBytesOfVisibleInstanceWritesNothing() throws Exception {
        long before = archive.data.journal().lastSequence();

        IngestResult result = archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1"));

        assertThat(result.duplicate()).isTrue();
        assertThat(result.journalSequence()).isEqualTo(-1);
        assertThat(archive.data.journal().lastSequence()).isEqualTo(before);
    }

    private int typeOf(long sequence) throws Exception {
        try (JournalReader reader = archive.data.journal().read(sequence)) {
            JournalRecord record = reader.next();
            return record.type();
        }
    }
}
