package org.arca.store.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arca.store.TestClock;
import org.arca.store.DataDirectory;
import org.arca.store.index.Index;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexRebuilderTest {

    private static final long SEED = 20261204L;
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path temp;

    @Test
    void rebuildEqualsReplayedIndex() throws Exception {
        Path data = temp.resolve("data");
        SyntheticJournal generator = new SyntheticJournal(SEED);
        long last;
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            generator.appendInstances(directory.journal(), 150);
            SyntheticJournal.appendCommitmentRequest(directory.journal());
            last = generator.appendInstances(directory.journal(), 150);
        }
        Map<String, List<String>> replayed = dumpOfDataDirectory(data);

        // 7 records per transaction, so that batches end at every kind of record.
        Path rebuilt = temp.resolve("rebuilt.sqlite");
        RebuildResult result;
        try (JournalReader records = Journal.readDirectory(DataDirectory.journalOf(data), 1)) {
            result = IndexRebuilder.buildAndFsync(records, rebuilt, Optional.empty(), 7);
        }

        assertThat(result.recordsRead()).as("seed %d", SEED).isEqualTo(301);
        assertThat(result.lastSequence()).isEqualTo(last);
        try (Index index = Index.open(rebuilt)) {
            assertThat(SyntheticJournal.dump(index)).as("seed %d", SEED).isEqualTo(replayed);
            assertThat(index.counts().versions()).isEqualTo(300);
        }
        assertThat(IndexRebuilder.sidecar(rebuilt, "-wal")).doesNotExist();
    }

    @Test
    void rebuildRecordsTrailingRecordWithoutIndexChange() throws Exception {
        Path data = temp.resolve("data");
        long commitment;
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            new SyntheticJournal(SEED).appendInstances(directory.journal(), 5);
            commitment = SyntheticJournal.appendCommitmentRequest(directory.journal());
        }

        RebuildResult result = OfflineIndexRebuild.rebuild(data);

        assertThat(result.lastSequence()).isEqualTo(commitment);
        try (Index index = Index.open(DataDirectory.indexOf(data))) {
            assertThat(index.lastAppliedJournalSequence()).isEqualTo(commitment);
        }
    }

    @Test
    void rebuildReplacesLiveIndexAndItsLog() throws Exception {
        Path data = temp.resolve("data");
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            new SyntheticJournal(SEED).appendInstances(directory.journal(), 40);
        }
        Map<String, List<String>> before = dumpOfDataDirectory(data);
        Path live = DataDirectory.indexOf(data);
        Files.writeString(IndexRebuilder.sidecar(live, "-wal"), "a stale write-ahead log");
        Files.writeString(IndexRebuilder.rebuildFileOf(live), "left by an interrupted rebuild");

        OfflineIndexRebuild.rebuild(data);

        assertThat(IndexRebuilder.sidecar(live, "-wal")).doesNotExist();
        assertThat(IndexRebuilder.rebuildFileOf(live)).doesNotExist();
        assertThat(dumpOfDataDirectory(data)).isEqualTo(before);
    }

    @Test
    void undecodableRecordLeavesLiveIndexUnchanged() throws Exception {
        Path data = temp.resolve("data");
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            new SyntheticJournal(SEED).appendInstances(directory.journal(), 20);
            directory.journal().appendAndForce(JournalRecordTypes.INSTANCE_STORED,
                    "not JSON".getBytes(StandardCharsets.UTF_8));
        }
        Path live = DataDirectory.indexOf(data);
        byte[] liveBytes = Files.readAllBytes(live);

        assertThatThrownBy(() -> OfflineIndexRebuild.rebuild(data)).isInstanceOf(IOException.class);

        assertThat(Files.readAllBytes(live)).isEqualTo(liveBytes);
        assertThat(IndexRebuilder.rebuildFileOf(live)).doesNotExist();
    }

    @Test
    void asOfStopsBeforeFirstLaterRecord() throws Exception {
        Path data = temp.resolve("data");
        TestClock clock = new TestClock(START);
        SyntheticJournal generator = new SyntheticJournal(SEED);
        try (DataDirectory directory = DataDirectory.openForWriting(data, clock)) {
            for (int i = 0; i < 60; i++) {
                generator.appendInstances(directory.journal(), 1);
                clock.advanceSeconds(60);
            }
        }
        // Record n (from 1) has timestamp START + (n - 1) minutes, so 10:29:30 is just after record 30.
        Instant asOf = START.plusSeconds(29 * 60 + 30);
        Path output = temp.resolve("as-of.sqlite");

        RebuildResult result = OfflineIndexRebuild.rebuildAsOf(data, asOf, output);

        assertThat(result.lastSequence()).isEqualTo(30);
        assertThat(result.lastRecordTime()).contains(START.plusSeconds(29 * 60));
        Path prefixData = temp.resolve("prefix");
        try (DataDirectory directory = DataDirectory.openForWriting(prefixData, new TestClock(START))) {
            new SyntheticJournal(SEED).appendInstances(directory.journal(), 30);
        }
        try (Index index = Index.open(output)) {
            assertThat(SyntheticJournal.dump(index)).as("seed %d", SEED).isEqualTo(dumpOfDataDirectory(prefixData));
        }
    }

    @Test
    void asOfRejectsExistingOutput() throws Exception {
        Path data = temp.resolve("data");
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            new SyntheticJournal(SEED).appendInstances(directory.journal(), 3);
        }
        Path output = Files.writeString(temp.resolve("taken.sqlite"), "keep me");

        assertThatThrownBy(() -> OfflineIndexRebuild.rebuildAsOf(data, START, output))
                .isInstanceOf(IOException.class).hasMessageContaining("already exists");

        assertThat(output).hasContent("keep me");
    }

    @Test
    void offlineRebuildRejectedWhileNodeRuns() throws Exception {
        Path data = temp.resolve("data");
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            assertThatThrownBy(() -> OfflineIndexRebuild.rebuild(data))
                    .isInstanceOf(DataDirectoryInUseException.class).hasMessageContaining("arca.lock")
                    .hasMessageContaining("Stop that node");
        }
    }

    /** Opens the data directory as a node does (replaying the journal) and dumps its index. */
    static Map<String, List<String>> dumpOfDataDirectory(Path data) throws IOException {
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            return SyntheticJournal.dump(directory.index());
        }
    }
}
