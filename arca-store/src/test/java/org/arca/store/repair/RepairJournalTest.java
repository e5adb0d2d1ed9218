package org.arca.store.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.arca.store.DataDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged-blob findings in a real journal, kept across a reopen. */
class RepairJournalTest {

    @TempDir
    Path temp;

    private DataDirectory data;

    @BeforeEach
    void open() throws IOException {
        data = DataDirectory.openForWriting(temp.resolve("arca-data"), Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        data.close();
    }

    @Test
    void damageSurvivesReopen() throws Exception {
        BlobDamage damage = damage("1.2.3.1");
        long sequence = data.repairs().appendDamageAndForce(damage);
        data.close();

        data = DataDirectory.openForWriting(temp.resolve("arca-data"), Clock.systemUTC());

        assertThat(sequence).isEqualTo(1);
        assertThat(data.repairs().readDamage()).containsExactly(damage);
    }

    /** The index lists each finding, and an index rebuilt from the journal lists it again. */
    @Test
    void indexListsFindingsAfterRebuild() throws Exception {
        BlobDamage first = damage("1.2.3.1");
        BlobDamage second = damage("1.2.3.2");
        data.repairs().appendDamageAndForce(first);
        long sequence = data.repairs().appendDamageAndForce(second);

        assertThat(BlobDamageTable.count(data.index())).as("findings in the index").isEqualTo(2);
        assertThat(BlobDamageTable.latestOpen(data.index())).as("latest finding")
                .contains(new BlobDamageTable.Finding(second, sequence));
        assertThat(BlobDamageTable.containsOpen(data.index(), "1.2.3.1", 1, "ab".repeat(32))).as("first finding").isTrue();
        assertThat(data.index().lastAppliedJournalSequence()).as("index sequence").isEqualTo(sequence);

        data.close();
        Files.delete(DataDirectory.indexOf(temp.resolve("arca-data")));
        data = DataDirectory.openForWriting(temp.resolve("arca-data"), Clock.systemUTC());

        assertThat(BlobDamageTable.count(data.index())).as("findings in the rebuilt index").isEqualTo(2);
    }

    /** A finding of a version and blob that has an open finding already adds no journal record. */
    @Test
    void openFindingIsRecordedOnce() throws Exception {
        RepairJournal.Recorded first = data.repairs().recordDamageOnceAndForce(damage("1.2.3.1"));
        RepairJournal.Recorded again = data.repairs().recordDamageOnceAndForce(damage("1.2.3.1"));
        RepairJournal.Recorded other = data.repairs().recordDamageOnceAndForce(damage("1.2.3.2"));

        assertThat(first.appended()).as("first finding appended").isTrue();
        assertThat(again).as("same finding again").isEqualTo(new RepairJournal.Recorded(first.journalSequence(), false));
        assertThat(other.appended()).as("finding of another instance appended").isTrue();
        assertThat(data.journal().lastSequence()).as("journal records").isEqualTo(2);
    }

    @Test
    void unknownFormatVersionIsRejected() {
        byte[] payload = "{\"formatVersion\":2}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> BlobDamage.fromJsonBytes(payload, 7))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 2");
    }

    private static BlobDamage damage(String sopInstanceUid) {
        return new BlobDamage(BlobDamage.FORMAT_VERSION, sopInstanceUid, 1, "ab".repeat(32),
                "/data/blobs/ab/ab/" + "ab".repeat(32), "SHA-256 is " + "cd".repeat(32), "C-MOVE", 1_000L);
    }
}
