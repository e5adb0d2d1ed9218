package org.arca.store.commitment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.DataDirectory;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.ingest.IngestServiceTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage Commitment records in a real journal: pending until reported, across a reopen. */
class StorageCommitmentJournalTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

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
    void requestPendingUntilReported() throws Exception {
        PendingCommitment first = data.commitments().appendRequestAndForce(request("1.2.3.1"));
        PendingCommitment second = data.commitments().appendRequestAndForce(request("1.2.3.2"));

        data.commitments().appendReportedAndForce(CommitmentResult.of(first,
                first.request().references(), List.of()));

        assertThat(data.commitments().readPending()).containsExactly(second);
    }

    @Test
    void pendingSurvivesReopen() throws Exception {
        PendingCommitment pending = data.commitments().appendRequestAndForce(request("1.2.3.1"));
        data.close();

        data = DataDirectory.openForWriting(temp.resolve("arca-data"), Clock.systemUTC());

        assertThat(data.commitments().readPending()).containsExactly(pending);
        assertThat(pending.request().requesterAeTitle()).isEqualTo("MODALITY");
        assertThat(pending.request().references()).hasSize(2);
    }

    @Test
    void sameTransactionUidTwiceIsTwoRequests() throws Exception {
        PendingCommitment first = data.commitments().appendRequestAndForce(request("1.2.3.1"));
        PendingCommitment second = data.commitments().appendRequestAndForce(request("1.2.3.1"));

        data.commitments().appendReportedAndForce(CommitmentResult.of(second, List.of(),
                List.of(new CommitmentFailure(CT, "1.2.3.4.5", 0x0112))));

        assertThat(data.commitments().readPending()).containsExactly(first);
    }

    @Test
    void resultEventTypeFollowsFailures() {
        PendingCommitment pending = new PendingCommitment(7, request("1.2.3.1"));
        CommitmentReference reference = pending.request().references().get(0);

        CommitmentResult allCommitted = CommitmentResult.of(pending, List.of(reference), List.of());
        CommitmentResult someFailed = CommitmentResult.of(pending, List.of(),
                List.of(new CommitmentFailure(reference.sopClassUid(), reference.sopInstanceUid(), 0x0110)));

        assertThat(allCommitted.eventTypeId()).isEqualTo(1);
        assertThat(someFailed.eventTypeId()).isEqualTo(2);
        assertThat(someFailed.requestSequence()).isEqualTo(7);
    }

    @Test
    void resultRoundTripsThroughJson() throws Exception {
        PendingCommitment pending = new PendingCommitment(3, request("1.2.3.9"));
        CommitmentResult result = CommitmentResult.of(pending, List.of(pending.request().references().get(0)),
                List.of(new CommitmentFailure(CT, "1.2.3.4.6", 0x0119)));

        assertThat(CommitmentResult.fromJsonBytes(result.toJsonBytes(), 4)).isEqualTo(result);
    }

    @Test
    void unknownFormatVersionRejected() {
        byte[] payload = "{\"formatVersion\":99,\"transactionUid\":\"1.2\",\"references\":[]}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CommitmentRequest.fromJsonBytes(payload, 12))
                .hasMessageContaining("format version 99").hasMessageContaining("record 12");
    }

    @Test
    void ingestAfterCommitmentRecordDoesNotWait() throws Exception {
        data.commitments().appendRequestAndForce(request("1.2.3.1"));
        byte[] dataset = IngestServiceTestData.dataset("1.2.826.0.1.3680043.8.498.1", "DOE^JANE",
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        long start = System.nanoTime();
        data.ingestService().ingest(new IngestRequest(CT, "1.2.826.0.1.3680043.8.498.1",
                UID.ExplicitVRLittleEndian, "MODALITY"), new ByteArrayInputStream(dataset));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        // Without the commitment record being handed to the index updater, the ingest would wait
        // its 10 s gap timeout for sequence 1 before replaying the journal.
        assertThat(elapsedMs).isLessThan(5_000);
        assertThat(data.index().lastAppliedJournalSequence()).isEqualTo(2);
    }

    private static CommitmentRequest request(String transactionUid) {
        return CommitmentRequest.of(transactionUid, "MODALITY", List.of(
                new CommitmentReference(CT, "1.2.3.4.5"), new CommitmentReference(CT, "1.2.3.4.6")));
    }
}
