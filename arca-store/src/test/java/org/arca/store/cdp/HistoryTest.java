package org.arca.store.cdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arca.store.cdp.TestArchive.Instance;
import org.arca.store.ingest.IngestResult;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobRepaired;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history of a study as the journal records it. */
class HistoryTest {

    private static final Instant START = Instant.parse("2026-12-04T08:00:00Z");

    @TempDir
    Path temp;

    private TestArchive archive;

    @BeforeEach
    void open() throws Exception {
        archive = TestArchive.open(temp.resolve("arca-data"), START);
    }

    @AfterEach
    void close() throws Exception {
        archive.close();
    }

    @Test
    void historyListsEveryChange() throws Exception {
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1"));
        archive.store(Instance.of("PID-2", "2.25.2", "2.25.2.1", "2.25.2.1.1"));
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.2"));
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.2", "2.25.1.2.1").aeTitle("MR01"));
        archive.clock.set(START.plusSeconds(60));
        archive.changes().updateStudy("2.25.1", Map.of("PatientName", "Fixed^Name"),
                new ChangeAuthor("alice", "RIS correction"));
        archive.clock.set(START.plusSeconds(120));
        archive.changes().delete(ChangeLevel.SERIES, "2.25.1.2", new ChangeAuthor("bob", "wrong study"));
        archive.changes().undelete(ChangeLevel.SERIES, "2.25.1.2", new ChangeAuthor("bob", ""));
        archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.3"));
        archive.clock.set(START.plusSeconds(180));
        archive.changes().restore(START.plusSeconds(90), "2.25.1", new ChangeAuthor("carol", "undo"));

        List<HistoryEntry> history = archive.changes().history("2.25.1");

        assertThat(history).extracting(HistoryEntry::kind).containsExactly("STORED", "STORED", "UPDATED", "DELETED",
                "UNDELETED", "STORED", "RESTORED");
        assertThat(history).extracting(HistoryEntry::journalSequence).containsExactly(1L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(history.get(0).user()).isEqualTo("CT01");
        assertThat(history.get(0).description()).isEqualTo("2 instances stored (journal records 1 to 3).");
        assertThat(history.get(1).user()).isEqualTo("MR01");
        assertThat(history.get(2).user()).isEqualTo("alice");
        assertThat(history.get(2).reason()).isEqualTo("RIS correction");
        assertThat(history.get(2).time()).isEqualTo(START.plusSeconds(60));
        assertThat(history.get(2).description()).contains("PatientName 'Patient^PID-1' -> 'Fixed^Name'");
        assertThat(history.get(3).description()).isEqualTo("Deleted series 2.25.1.2: 1 instance hidden.");
        assertThat(history.get(6).user()).isEqualTo("carol");
        assertThat(history.get(6).description()).contains("1 hidden");
    }

    /** A damage finding and its repair name an instance only; the study's history lists both, others do not. */
    @Test
    void historyListsDamageAndRepair() throws Exception {
        IngestResult stored = archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1"));
        archive.store(Instance.of("PID-2", "2.25.2", "2.25.2.1", "2.25.2.1.1"));
        String path = archive.data.blobs().pathOf(stored.blobId()).toString();
        archive.data.repairs().appendDamageAndForce(new BlobDamage(BlobDamage.FORMAT_VERSION, "2.25.1.1.1", 1,
                stored.blobId().hex(), path, "missing", "retrieve", START.toEpochMilli()));
        archive.data.repairs().appendRepairAndForce(new BlobRepaired(BlobRepaired.FORMAT_VERSION, "2.25.1.1.1", 1,
                stored.blobId().hex(), "C-STORE from CT01", START.toEpochMilli()));

        List<HistoryEntry> history = archive.changes().history("2.25.1");
        List<HistoryEntry> other = archive.changes().history("2.25.2");

        assertThat(history).extracting(HistoryEntry::kind).containsExactly("STORED", "DAMAGED", "REPAIRED");
        assertThat(history.get(1).user()).isEqualTo("retrieve");
        assertThat(history.get(1).description()).isEqualTo("Blob of SOP Instance 2.25.1.1.1 version 1: missing ("
                + path + ").");
        assertThat(history.get(2).user()).isEqualTo("C-STORE from CT01");
        assertThat(history.get(2).description()).isEqualTo("Blob of SOP Instance 2.25.1.1.1 version 1 intact again: "
                + "C-STORE from CT01.");
        assertThat(other).extracting(HistoryEntry::kind).containsExactly("STORED");
    }

    /** A reconciliation's repair names "reconcile" as the user and its reason in the description, once each. */
    @Test
    void reconcileRepairSplitsSource() throws Exception {
        IngestResult stored = archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1"));
        archive.data.repairs().appendRepairAndForce(new BlobRepaired(BlobRepaired.FORMAT_VERSION, "2.25.1.1.1", 1,
                stored.blobId().hex(), "reconcile: the blob file hashes to its SHA-256 again", START.toEpochMilli()));

        HistoryEntry repaired = archive.changes().history("2.25.1").get(1);

        assertThat(repaired.user()).isEqualTo("reconcile");
        assertThat(repaired.description()).isEqualTo("Blob of SOP Instance 2.25.1.1.1 version 1 intact again: the "
                + "blob file hashes to its SHA-256 again.");
    }

    /** A retrieve's finding is a sentence that names the instance and path: the entry does not repeat them. */
    @Test
    void retrieveFindingIsNotRepeated() throws Exception {
        IngestResult stored = archive.store(Instance.of("PID-1", "2.25.1", "2.25.1.1", "2.25.1.1.1"));
        String path = archive.data.blobs().pathOf(stored.blobId()).toString();
        String problem = "Blob " + path + " of SOP Instance 2.25.1.1.1 does not exist";
        archive.data.repairs().appendDamageAndForce(new BlobDamage(BlobDamage.FORMAT_VERSION, "2.25.1.1.1", 1,
                stored.blobId().hex(), path, problem, "C-GET", START.toEpochMilli()));

        HistoryEntry damaged = archive.changes().history("2.25.1").get(1);

        assertThat(damaged.description()).isEqualTo(problem + " (version 1).");
    }

    @Test
    void unknownStudyIsNotFound() {
        assertThatThrownBy(() -> archive.changes().history("2.25.404"))
                .isInstanceOfSatisfying(ChangeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChangeException.Reason.NOT_FOUND));
    }
}
