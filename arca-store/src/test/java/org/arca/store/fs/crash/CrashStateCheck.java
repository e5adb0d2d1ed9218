package org.arca.store.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.VerifyResult;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.crash.CStoreLoad.Sent;
import org.arca.store.fs.crash.CrashStates.CrashState;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceVersion;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalOptions;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.arca.store.journal.RecoveryReport;

/**
 * Opens a materialised crash state with the real store and checks the promises of the archive
 * against the C-STOREs sent before the crash. Journal recovery logs each cut and leaves a journal
 * that verifies. The journal names every acknowledged instance. Every instance the journal names
 * (acknowledged or not) has a blob with the right SHA-256 and the dataset byte-identical to what
 * was sent. With {@code withIndex}, the state is opened as a whole data directory, whose index
 * (absent from the state) is rebuilt from the journal and must list exactly the journaled instances.
 */
final class CrashStateCheck {

    /** What one check found, for the counts that the test prints. */
    record Outcome(int acknowledged, int visible, int journalCuts) {
    }

    private CrashStateCheck() {
    }

    static Outcome check(Path directory, CrashState state, List<Sent> sent, JournalOptions options,
            RecoveryLog recoveryLog, boolean withIndex, String seedText) throws IOException {
        String context = state.describe() + ", " + seedText;
        recoveryLog.clear();
        try {
            return open(directory, state, sent, options, recoveryLog, withIndex, context);
        } catch (IOException e) {
            throw new AssertionError("Opening the " + context + " failed: " + e, e);
        }
    }

    private static Outcome open(Path directory, CrashState state, List<Sent> sent, JournalOptions options,
            RecoveryLog recoveryLog, boolean withIndex, String context) throws IOException {
        if (withIndex) {
            try (DataDirectory data = DataDirectory.openForWriting(directory, Clock.systemUTC(), FileLayer.nio(),
                    options)) {
                Outcome outcome = checkJournalAndBlobs(data.journal(), data.blobs(), state, sent, recoveryLog, context);
                checkIndex(data.index(), sent, outcome.visible(), context);
                return outcome;
            }
        }
        try (Journal journal = Journal.open(DataDirectory.journalOf(directory), Clock.systemUTC(), options)) {
            BlobStore blobs = BlobStore.open(DataDirectory.blobsOf(directory));
            return checkJournalAndBlobs(journal, blobs, state, sent, recoveryLog, context);
        }
    }

    private static Outcome checkJournalAndBlobs(Journal journal, BlobStore blobs, CrashState state, List<Sent> sent,
            RecoveryLog recoveryLog, String context) throws IOException {
        RecoveryReport report = journal.recoveryReport();
        assertThat(recoveryLog.cutMessages()).as("recovery log lines for %s of %s", report.cuts(), context)
                .isGreaterThanOrEqualTo(report.cuts().size());
        assertThat(journal.verify().problems()).as("journal verification of %s", context).isEmpty();

        Map<String, String> journaled = journaledBlobs(journal);
        int acknowledged = 0;
        Set<String> visible = new HashSet<>();
        for (Sent instance : sent) {
            String sha256 = journaled.get(instance.sopInstanceUid());
            if (instance.acknowledgedBefore(state.crashPoint())) {
                acknowledged++;
                assertThat(sha256).as("journal record of acknowledged SOP Instance %s in %s",
                        instance.sopInstanceUid(), context).isNotNull();
            }
            if (sha256 != null) {
                visible.add(instance.sopInstanceUid());
                assertStoredExactly(blobs, instance, sha256, context);
            }
        }
        sent.forEach(instance -> journaled.remove(instance.sopInstanceUid()));
        assertThat(journaled).as("journaled SOP Instances that were never sent, in %s", context).isEmpty();
        return new Outcome(acknowledged, visible.size(), report.cuts().size());
    }

    /** Checks that the index, rebuilt from the journal, lists exactly the journaled instances. */
    private static void checkIndex(Index index, List<Sent> sent, int journaled, String context) {
        int listed = 0;
        for (String uid : sent.stream().map(Sent::sopInstanceUid).distinct().toList()) {
            Optional<InstanceVersion> version = index.currentVersion(uid);
            listed += version.isPresent() ? 1 : 0;
        }
        assertThat(listed).as("instances listed by the rebuilt index of %s", context).isEqualTo(journaled);
        assertThat(index.counts().versions()).as("index versions of %s", context).isEqualTo(journaled);
    }

    /** Checks the blob of a journaled instance: SHA-256 matching its name and the dataset byte-identical. */
    private static void assertStoredExactly(BlobStore blobs, Sent instance, String sha256, String context)
            throws IOException {
        BlobId id = BlobId.of(sha256);
        VerifyResult result = blobs.verify(id);
        assertThat(result.status()).as("blob of SOP Instance %s in %s", instance.sopInstanceUid(), context)
                .isEqualTo(VerifyResult.Status.OK);
        byte[] blob = Files.readAllBytes(blobs.pathOf(id));
        byte[] storedDataset = Arrays.copyOfRange(blob, blob.length - instance.dataset().length, blob.length);
        assertThat(storedDataset).as("stored dataset of SOP Instance %s in %s", instance.sopInstanceUid(), context)
                .isEqualTo(instance.dataset());
    }

    /** Returns the SHA-256 of the blob of each SOP Instance that an INSTANCE_STORED record names. */
    private static Map<String, String> journaledBlobs(Journal journal) throws IOException {
        Map<String, String> blobs = new HashMap<>();
        try (JournalReader reader = journal.read(1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.type() == JournalRecordTypes.INSTANCE_STORED) {
                    InstanceStoredEvent event = InstanceStoredEvent.fromJsonBytes(record.payload(), record.sequence());
                    blobs.put(event.instance().sopInstanceUid(), event.instance().blobSha256());
                }
            }
        }
        return blobs;
    }
}
