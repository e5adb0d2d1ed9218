package org.arca.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexVersionsTest {

    private static final String SOP_INSTANCE_UID = "2.25.1.1.1";

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
    void secondVersionBecomesCurrent() {
        index.applyInstanceStored(new RecordBuilder().sequence(1).instance(SOP_INSTANCE_UID, 1, sha(1)).build());
        index.applyInstanceStored(new RecordBuilder().sequence(2).instance(SOP_INSTANCE_UID, 2, sha(2)).build());

        InstanceVersion current = index.currentVersion(SOP_INSTANCE_UID).orElseThrow();
        assertThat(current.version()).isEqualTo(2);
        assertThat(current.blobSha256()).isEqualTo(sha(2));
        assertThat(current.current()).isTrue();
        assertThat(index.versions(SOP_INSTANCE_UID))
                .extracting(InstanceVersion::version, InstanceVersion::current, InstanceVersion::blobSha256)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, false, sha(1)),
                        org.assertj.core.groups.Tuple.tuple(2, true, sha(2)));
        assertThat(index.nextVersionNumber(SOP_INSTANCE_UID)).isEqualTo(3);
    }

    @Test
    void versionsCountOneInstance() {
        index.applyInstanceStored(new RecordBuilder().sequence(1).instance(SOP_INSTANCE_UID, 1, sha(1)).build());
        index.applyInstanceStored(new RecordBuilder().sequence(2).instance(SOP_INSTANCE_UID, 2, sha(2)).build());

        assertThat(index.counts()).isEqualTo(new IndexCounts(1, 1, 1, 1, 2));
        assertThat(index.study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(1);
        assertThat(index.instancesOfSeries("2.25.1.1", false)).extracting(InstanceVersion::version)
                .containsExactly(2);
        assertThat(index.instancesOfSeries("2.25.1.1", true)).extracting(InstanceVersion::version)
                .containsExactly(1, 2);
        assertThat(index.instancesOfStudy("2.25.1", false)).extracting(InstanceVersion::version)
                .containsExactly(2);
        assertThat(index.instancesOfStudy("2.25.1", true)).extracting(InstanceVersion::version)
                .containsExactly(1, 2);
    }

    @Test
    void olderVersionAppliedLateStaysOld() {
        index.applyInstanceStored(new RecordBuilder().sequence(2).instance(SOP_INSTANCE_UID, 2, sha(2)).build());
        index.applyInstanceStored(new RecordBuilder().sequence(1).instance(SOP_INSTANCE_UID, 1, sha(1)).build());

        assertThat(index.currentVersion(SOP_INSTANCE_UID).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void newVersionInOtherSeriesMovesInstance() {
        index.applyInstanceStored(new RecordBuilder().sequence(1).instance(SOP_INSTANCE_UID, 1, sha(1)).build());
        index.applyInstanceStored(new RecordBuilder().sequence(2).series("2.25.1.2", "MR")
                .instance(SOP_INSTANCE_UID, 2, sha(2)).build());

        // The series that the instance left has no instance to show, so the listing leaves it out.
        assertThat(index.series("2.25.1")).extracting(SeriesEntry::seriesInstanceUid, SeriesEntry::numberOfInstances)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2.25.1.2", 1));
        StudyEntry study = index.study("2.25.1").orElseThrow();
        assertThat(study.modalitiesInStudy()).isEqualTo("MR");
        assertThat(study.numberOfSeries()).isEqualTo(1);
        assertThat(study.numberOfInstances()).isEqualTo(1);
        assertThat(index.instancesOfSeries("2.25.1.1", true)).extracting(InstanceVersion::version)
                .containsExactly(1);
    }

    @Test
    void findVersionByBlobMatchesOnlyThatInstance() {
        index.applyInstanceStored(new RecordBuilder().sequence(1).instance(SOP_INSTANCE_UID, 1, sha(1)).build());
        index.applyInstanceStored(new RecordBuilder().sequence(2).instance(SOP_INSTANCE_UID, 2, sha(2)).build());

        assertThat(index.findVersionByBlob(SOP_INSTANCE_UID, sha(1))).map(InstanceVersion::version).contains(1);
        assertThat(index.findVersionByBlob(SOP_INSTANCE_UID, sha(2))).map(InstanceVersion::version).contains(2);
        assertThat(index.findVersionByBlob(SOP_INSTANCE_UID, sha(3))).isEmpty();
        assertThat(index.findVersionByBlob("2.25.9", sha(1))).isEmpty();
    }

    @Test
    void unknownInstanceHasNoVersions() {
        assertThat(index.currentVersion("2.25.404")).isEmpty();
        assertThat(index.versions("2.25.404")).isEmpty();
        assertThat(index.nextVersionNumber("2.25.404")).isEqualTo(1);
    }

    private static String sha(long n) {
        return RecordBuilder.sha256Of(n);
    }
}
