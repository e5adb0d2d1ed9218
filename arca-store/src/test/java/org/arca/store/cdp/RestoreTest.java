package org.arca.store.cdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arca.store.cdp.TestArchive.Instance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time restores of three studies changed at known times: each restore must reproduce
 * exactly what C-FIND returned at that time.
 */
class RestoreTest {

    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final Instant T1 = Instant.parse("2026-12-04T09:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant T3 = Instant.parse("2026-12-04T11:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final ChangeAuthor ADMIN = new ChangeAuthor("admin", "test");

    @TempDir
    Path temp;

    private TestArchive archive;
    private List<String> atT0;
    private List<String> atT1;
    private List<String> atT2;
    private List<String> atT3;

    /**
     * T0: studies A (PID-1, two series) and B (PID-2) stored. T1: A deleted, B's AccessionNumber
     * updated. T2: study C (PID-3) stored, B moved to PID-3. T3: one instance of A undeleted, the
     * instance of C deleted, a new instance stored into B, and a second version of B's first
     * instance stored into a series of its own.
     */
    @BeforeEach
    void changeThreeStudies() throws Exception {
        archive = TestArchive.open(temp.resolve("arca-data"), T0);
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1"));
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.2", "2.25.1.2.1"));
        archive.store(Instance.of("PID-2", "2.25.2", "2.25.2.1", "2.25.2.1.1"));
        atT0 = archive.snapshot();

        archive.clock.set(T1);
        archive.changes().delete(ChangeLevel.STUDY, "2.25.1", ADMIN);
        archive.changes().updateStudy("2.25.2", Map.of("AccessionNumber", "ACC-B2"), ADMIN);
        atT1 = archive.snapshot();

        archive.clock.set(T2);
        archive.store(Instance.of("PID-3", "2.25.3", "2.25.3.1", "2.25.3.1.1").patientName("Third^Patient"));
        archive.changes().updateStudy("2.25.2", Map.of("PatientID", "PID-3"), ADMIN);
        atT2 = archive.snapshot();

        archive.clock.set(T3);
        archive.changes().undelete(ChangeLevel.INSTANCE, "2.25.1.2.1", ADMIN);
        archive.changes().delete(ChangeLevel.INSTANCE, "2.25.3.1.1", ADMIN);
        archive.store(Instance.of("PID-2", "2.25.2", "2.25.2.1", "2.25.2.1.2"));
        archive.store(Instance.of("PID-2", "2.25.2", "2.25.2.2", "2.25.2.1.1").otherBytes(2));
        atT3 = archive.snapshot();

        archive.clock.set(NOW);
    }

    @AfterEach
    void close() throws Exception {
        archive.close();
    }

    @Test
    void snapshotsDiffer() {
        assertThat(List.of(atT0, atT1, atT2, atT3)).doesNotHaveDuplicates();
    }

    @Test
    void restoreReproducesEachMoment() throws Exception {
        archive.changes().restore(T0, null, ADMIN);
        assertThat(archive.snapshot()).isEqualTo(atT0);

        archive.changes().restore(T2, null, ADMIN);
        assertThat(archive.snapshot()).isEqualTo(atT2);
        assertThat(archive.index().currentVersion("2.25.2.1.1").orElseThrow().version()).isEqualTo(1);
        assertThat(archive.index().versions("2.25.2.1.1")).hasSize(2);

        archive.changes().restore(T1.plusSeconds(1800), null, ADMIN);
        assertThat(archive.snapshot()).isEqualTo(atT1);

        archive.changes().restore(T3, null, ADMIN);
        assertThat(archive.snapshot()).isEqualTo(atT3);
        assertThat(archive.index().currentVersion("2.25.2.1.1").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void newVersionAfterRestoreBecomesCurrent() throws Exception {
        archive.changes().restore(T2, "2.25.2", ADMIN);

        archive.store(Instance.of("PID-2", "2.25.2", "2.25.2.1", "2.25.2.1.1").otherBytes(3));

        assertThat(archive.index().currentVersion("2.25.2.1.1").orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void restoreForwardUndoesRestore() throws Exception {
        archive.changes().restore(T0, null, ADMIN);
        archive.clock.set(NOW.plusSeconds(60));

        archive.changes().restore(NOW.minusSeconds(1), null, ADMIN);
        assertThat(archive.snapshot()).isEqualTo(atT3);

        archive.changes().restore(T0, null, ADMIN);
        archive.clock.set(NOW.plusSeconds(120));
        ChangeResult latest = archive.changes().restore(NOW.plusSeconds(120), null, ADMIN);
        assertThat(latest.instancesAffected()).isZero();
        assertThat(archive.snapshot()).isEqualTo(atT0);
    }

    @Test
    void restoreBeforeFirstRecordEmptiesArchive() throws Exception {
        RestorePlan plan = archive.changes().planRestore(T0.minusSeconds(1), null);
        assertThat(plan.asOfSequence()).isZero();

        archive.changes().restore(T0.minusSeconds(1), null, ADMIN);

        assertThat(archive.snapshot()).isEmpty();
        assertThat(archive.index().patients()).isEmpty();
    }

    @Test
    void restoreOneStudyLeavesOthers() throws Exception {
        archive.changes().restore(T0, "2.25.1", ADMIN);

        assertThat(archive.index().study("2.25.1").orElseThrow().numberOfInstances()).isEqualTo(2);
        assertThat(archive.index().study("2.25.2").orElseThrow().patientId()).isEqualTo("PID-3");
        assertThat(archive.index().study("2.25.3")).isEmpty();
    }

    @Test
    void planListsChangesWithoutWriting() throws Exception {
        long before = archive.data.journal().lastSequence();

        RestorePlan plan = archive.changes().planRestore(T0, null);

        assertThat(archive.data.journal().lastSequence()).isEqualTo(before);
        assertThat(plan.asOfSequence()).isEqualTo(3);
        assertThat(plan.changes()).extracting(PlannedChange::kind, PlannedChange::level, PlannedChange::uid)
                .containsExactly(
                        // One instance of study A is visible already; the other one brings the whole study back.
                        org.assertj.core.groups.Tuple.tuple("REAPPEAR", ChangeLevel.STUDY, "2.25.1"),
                        org.assertj.core.groups.Tuple.tuple("DISAPPEAR", ChangeLevel.INSTANCE, "2.25.2.1.2"),
                        org.assertj.core.groups.Tuple.tuple("CHANGE", ChangeLevel.INSTANCE, "2.25.2.1.1"),
                        org.assertj.core.groups.Tuple.tuple("CHANGE", ChangeLevel.STUDY, "2.25.2"));
        assertThat(plan.changes().get(2).description()).isEqualTo("SOP Instance 2.25.2.1.1: current version 2 -> 1;"
                + " the newer versions stay stored.");
        assertThat(plan.changes().get(3).description()).contains("AccessionNumber 'ACC-B2' -> 'ACC-2.25.2'")
                .contains("PatientID 'PID-3' -> 'PID-2'");
        assertThat(archive.snapshot()).isEqualTo(atT3);
        assertThat(archive.root.resolve(ScratchIndex.DIRECTORY)).isEmptyDirectory();
    }

    @Test
    void futureTimeIsInvalid() {
        assertThatThrownBy(() -> archive.changes().restore(NOW.plusSeconds(1), null, ADMIN))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.INVALID))
                .hasMessageContaining("future");
    }

    @Test
    void unknownStudyIsNotFound() {
        assertThatThrownBy(() -> archive.changes().planRestore(T0, "2.25.404"))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.NOT_FOUND));
    }

    @Test
    void rebuildFromJournalEqualsLiveIndex() throws Exception {
        archive.changes().restore(T1, null, ADMIN);
        archive.changes().restore(T3, "2.25.2", ADMIN);
        long last = archive.data.journal().lastSequence();

        try (ScratchIndex rebuilt = ScratchIndex.replay(archive.root, archive.data.journal(), last)) {
            assertThat(rebuilt.index().lastAppliedJournalSequence()).isEqualTo(last);
            assertThat(TestArchive.snapshot(rebuilt.index())).isEqualTo(archive.snapshot());
            assertThat(rebuilt.index().instanceStatesOfStudy(null))
                    .isEqualTo(archive.index().instanceStatesOfStudy(null));
            assertThat(rebuilt.index().studyAttributes(null)).isEqualTo(archive.index().studyAttributes(null));
        }
    }

    @Test
    void restoreSurvivesReopen() throws Exception {
        archive.changes().restore(T1, null, ADMIN);

        archive = archive.reopen();

        assertThat(archive.snapshot()).isEqualTo(atT1);
        assertThat(Files.exists(archive.root.resolve(ScratchIndex.DIRECTORY))).isFalse();
    }
}
