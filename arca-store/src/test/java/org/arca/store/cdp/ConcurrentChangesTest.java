package org.arca.store.cdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arca.store.cdp.TestArchive.Instance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletes and undeletes while ingests run: the live index must equal a replay of the journal. */
class ConcurrentChangesTest {

    private static final int INSTANCES_PER_STUDY = 20;
    private static final int DELETE_CYCLES = 5;

    @TempDir
    Path temp;

    @Test
    void liveIndexEqualsReplay() throws Exception {
        try (TestArchive archive = TestArchive.open(temp.resolve("arca-data"), Instant.parse("2026-12-04T08:00:00Z"))) {
            archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.0"));
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> running = new ArrayList<>();
                running.add(threads.submit(() -> storeSeries(archive, "2.25.1")));
                running.add(threads.submit(() -> storeSeries(archive, "2.25.2")));
                running.add(threads.submit(() -> deleteAndUndelete(archive)));
                for (Future<?> task : running) {
                    task.get(120, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }

            long last = archive.data.journal().lastSequence();
            assertThat(archive.index().lastAppliedJournalSequence()).isEqualTo(last);
            try (ScratchIndex replayed = ScratchIndex.replay(archive.root, archive.data.journal(), last)) {
                assertThat(replayed.index().instanceStatesOfStudy(null))
                        .isEqualTo(archive.index().instanceStatesOfStudy(null));
                assertThat(TestArchive.snapshot(replayed.index())).isEqualTo(archive.snapshot());
            }
            assertThat(archive.index().instanceStatesOfStudy("2.25.2")).hasSize(INSTANCES_PER_STUDY)
                    .noneMatch(state -> state.deleted());
        }
    }

    private static Void storeSeries(TestArchive archive, String studyUid) throws Exception {
        for (int i = 1; i <= INSTANCES_PER_STUDY; i++) {
            archive.store(Instance.of("PID-1", studyUid, studyUid + ".1", studyUid + ".1." + i));
        }
        return null;
    }

    private static Void deleteAndUndelete(TestArchive archive) throws Exception {
        ChangeAuthor admin = new ChangeAuthor("admin", "concurrency test");
        for (int i = 0; i < DELETE_CYCLES; i++) {
            archive.changes().delete(ChangeLevel.STUDY, "2.25.1", admin);
            archive.changes().undelete(ChangeLevel.STUDY, "2.25.1", admin);
        }
        archive.changes().delete(ChangeLevel.STUDY, "2.25.1", admin);
        return null;
    }
}
