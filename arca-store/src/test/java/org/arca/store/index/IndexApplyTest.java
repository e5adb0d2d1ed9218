package org.arca.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexApplyTest {

    @TempDir
    Path dir;

    private Index index;

    @BeforeEach
    void open() {
        index = Index.open(dir.resolve("arca.sqlite"));
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void applyStoresEveryAttribute() {
        InstanceRecord record = new RecordBuilder().sequence(3).build();

        assertThat(index.applyInstanceStored(record)).isTrue();

        InstanceVersion version = index.currentVersion(record.sopInstanceUid()).orElseThrow();
        assertThat(version).isEqualTo(new InstanceVersion("2.25.1", "2.25.1.1", "2.25.1.1.1", 1, true,
                "1.2.840.10008.5.1.4.1.1.2", "1", "1.2.840.10008.1.2.1", "ISO_IR 192", RecordBuilder.sha256Of(1),
                524_288, 3, 1_700_000_000_000L, "CT01"));
        StudyEntry study = index.study("2.25.1").orElseThrow();
        assertThat(study).isEqualTo(new StudyEntry(study.patientKey(), "PID-1", "Doe^Jane", "2.25.1", "20240115",
                "101500", "ACC-1", "1", "CT Chest", "House^Gregory", "CT", 1, 1));
        assertThat(index.series("2.25.1")).containsExactly(
                new SeriesEntry("2.25.1", "2.25.1.1", "CT", "1", "Axial 1mm", "CHEST", 1));
        assertThat(index.patients()).containsExactly(
                new PatientEntry(study.patientKey(), "PID-1", "HOSP", "Doe^Jane", "19700101", "F", 1));
        assertThat(index.lastAppliedJournalSequence()).isEqualTo(3);
    }

    @Test
    void applyTwiceChangesNothing() {
        InstanceRecord record = new RecordBuilder().sequence(5).build();
        index.applyInstanceStored(record);
        IndexCounts before = index.counts();
        List<InstanceVersion> versionsBefore = index.versions(record.sopInstanceUid());

        boolean appliedAgain = index.applyInstanceStored(record);

        assertThat(appliedAgain).isFalse();
        assertThat(index.counts()).isEqualTo(before);
        assertThat(index.versions(record.sopInstanceUid())).isEqualTo(versionsBefore);
        assertThat(index.study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(1);
        assertThat(index.lastAppliedJournalSequence()).isEqualTo(5);
    }

    @Test
    void sameVersionTwiceIsNoOp() {
        index.applyInstanceStored(new RecordBuilder().sequence(1).build());

        boolean applied = index.applyInstanceStored(new RecordBuilder().sequence(2).build());

        assertThat(applied).isFalse();
        assertThat(index.counts().versions()).isEqualTo(1);
        assertThat(index.lastAppliedJournalSequence()).isEqualTo(2);
    }

    @Test
    void applyConflictingVersionFailsAndRollsBack() {
        index.applyInstanceStored(new RecordBuilder().sequence(1).build());
        InstanceRecord conflicting = new RecordBuilder().sequence(2)
                .instance("2.25.1.1.1", 1, RecordBuilder.sha256Of(99)).build();

        assertThatThrownBy(() -> index.applyInstanceStored(conflicting))
                .isInstanceOf(IndexException.class)
                .hasMessageContaining("2.25.1.1.1")
                .hasMessageContaining(RecordBuilder.sha256Of(99));
        assertThat(index.lastAppliedJournalSequence()).isEqualTo(1);
        assertThat(index.counts().versions()).isEqualTo(1);
    }

    @Test
    void reusedSequenceForOtherInstanceFails() {
        index.applyInstanceStored(new RecordBuilder().sequence(1).build());
        InstanceRecord other = new RecordBuilder().sequence(1).instance("2.25.1.1.2", 1, RecordBuilder.sha256Of(2))
                .build();

        assertThatThrownBy(() -> index.applyInstanceStored(other))
                .isInstanceOf(IndexException.class)
                .hasMessageContaining("2.25.1.1.2")
                .hasMessageContaining("2.25.1.1.1");
        assertThat(index.counts().instances()).isEqualTo(1);
    }

    @Test
    void failedInsertRollsBackWholeRecord() throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("arca.sqlite"));
                Statement statement = sql.createStatement()) {
            statement.execute("CREATE TRIGGER reject_versions BEFORE INSERT ON instance_versions"
                    + " BEGIN SELECT RAISE(ABORT, 'version insert rejected by test'); END");
        }

        assertThatThrownBy(() -> index.applyInstanceStored(new RecordBuilder().sequence(4).build()))
                .isInstanceOf(IndexException.class)
                .hasMessageContaining("journal record 4")
                .hasMessageContaining("version insert rejected by test");
        assertThat(index.counts()).isEqualTo(new IndexCounts(0, 0, 0, 0, 0));
        assertThat(index.lastAppliedJournalSequence()).isZero();
    }

    @Test
    void lastAppliedKeepsHighestSequence() {
        index.applyInstanceStored(new RecordBuilder().sequence(10).build());
        index.applyInstanceStored(new RecordBuilder().sequence(4).instance("2.25.1.1.2", 1, RecordBuilder.sha256Of(2))
                .build());

        assertThat(index.lastAppliedJournalSequence()).isEqualTo(10);
        assertThat(index.counts().instances()).isEqualTo(2);
    }

    @Test
    void emptyAttributesBecomeNull() {
        RecordBuilder builder = new RecordBuilder();
        builder.studyDescription = "";
        builder.patientId = "";
        builder.issuerOfPatientId = null;
        index.applyInstanceStored(builder.build());

        StudyEntry study = index.study("2.25.1").orElseThrow();
        assertThat(study.studyDescription()).isNull();
        assertThat(study.patientId()).isEmpty();
        assertThat(index.studiesByPatientId("")).hasSize(1);
    }

    @Test
    void laterRecordKeepsFirstPatientOfStudy() {
        index.applyInstanceStored(new RecordBuilder().sequence(1).build());
        index.applyInstanceStored(new RecordBuilder().sequence(2).patient("PID-2", "Roe^Richard")
                .instance("2.25.1.1.2", 1, RecordBuilder.sha256Of(2)).build());

        assertThat(index.study("2.25.1").orElseThrow().patientId()).isEqualTo("PID-1");
        assertThat(index.study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(2);
        assertThat(index.counts().patients()).isEqualTo(2);
    }

    @Test
    void laterRecordFillsOnlyMissingAttributes() {
        RecordBuilder first = new RecordBuilder().sequence(1);
        first.studyDescription = null;
        first.seriesDescription = null;
        first.patientSex = null;
        index.applyInstanceStored(first.build());
        RecordBuilder second = new RecordBuilder().sequence(2).instance("2.25.1.1.2", 1, RecordBuilder.sha256Of(2));
        second.studyDescription = "Filled later";
        second.seriesDescription = "Series filled later";
        second.patientSex = "O";
        second.patientName = "Other^Name";
        index.applyInstanceStored(second.build());
        RecordBuilder third = new RecordBuilder().sequence(3).instance("2.25.1.1.3", 1, RecordBuilder.sha256Of(3));
        third.studyDescription = "Ignored";
        third.seriesDescription = "Ignored";
        index.applyInstanceStored(third.build());

        StudyEntry study = index.study("2.25.1").orElseThrow();
        assertThat(study.studyDescription()).isEqualTo("Filled later");
        assertThat(study.patientName()).isEqualTo("Doe^Jane");
        assertThat(index.series("2.25.1")).singleElement().extracting(SeriesEntry::seriesDescription)
                .isEqualTo("Series filled later");
        assertThat(index.patients()).singleElement().extracting(PatientEntry::patientSex).isEqualTo("O");
    }

    @Test
    void recordRejectsInvalidSha256() {
        String valid = RecordBuilder.sha256Of(0xabcdef);
        for (String invalid : new String[] {"ABC", valid.toUpperCase(java.util.Locale.ROOT), valid.substring(1),
                valid + "0", valid.substring(1) + "g", valid.substring(1) + "/", valid.substring(1) + ":"}) {
            RecordBuilder builder = new RecordBuilder();
            builder.blobSha256 = invalid;

            assertThatThrownBy(builder::build).as(invalid)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("blobSha256");
        }
        RecordBuilder builder = new RecordBuilder();
        builder.blobSha256 = valid;
        assertThat(builder.build().blobSha256()).isEqualTo(valid);
    }

    @Test
    void closedIndexRejectsCalls() {
        index.close();

        assertThatThrownBy(() -> index.counts()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> index.applyInstanceStored(new RecordBuilder().build()))
                .isInstanceOf(IllegalStateException.class);
    }
}
