package org.arca.store.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.VerifyResult;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.crash.CStoreLoad.Sent;
import org.arca.store.fs.crash.CrashStates.CrashState;
import org.arca.store.index.InstanceVersion;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.JournalOptions;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.arca.store.journal.RecoveryReport;

/**
 * Opens a materialised crash state with the real store (journal recovery, blob store cleanup and an
 * index rebuilt from the journal, since the state has no index) and checks the promises of the
 * archive against the C-STOREs sent before the crash.
 */
final class CrashStateCheck {

    /** What one check found, for the counts that the test prints. */
    record Outcome(int acknowledged, int visible, int journalCuts) {
    }

    private CrashStateCheck() {
    }

    static Outcome check(Path directory, CrashState state, List<Sent> sent, JournalOptions options,
            RecoveryLog recoveryLog, String seedText) throws IOException {
        String context = state.describe() + ", " + seedText;
        recoveryLog.clear();
        try (DataDirectory data = DataDirectory.openForWriting(directory, Clock.systemUTC(), FileLayer.nio(), options)) {
            RecoveryReport report = data.journal().recoveryReport();
            assertThat(recoveryLog.cutMessages()).as("recovery log lines for %s of %s", report.cuts(), context)
                    .isGreaterThanOrEqualTo(report.cuts().size());
            assertThat(data.journal().verify().problems()).as("journal verification of %s", context).isEmpty();

            int visible = 0;
            int acknowledged = 0;
            for (Sent instance : sent) {
                Optional<InstanceVersion> version = data.index().currentVersion(instance.sopInstanceUid());
                if (instance.acknowledgedBefore(state.crashPoint())) {
                    acknowledged++;
                    assertThat(version).as("acknowledged SOP Instance %s in %s", instance.sopInstanceUid(), context)
                            .isPresent();
                }
                if (version.isPresent()) {
                    visible++;
                    assertStoredExactly(data, instance, version.get(), context);
                }
            }
            assertThat(data.index().counts().versions()).as("index versions of %s", context).isEqualTo(visible);
            assertThat(instanceRecords(data)).as("INSTANCE_STORED journal records of %s", context).isEqualTo(visible);
            return new Outcome(acknowledged, visible, report.cuts().size());
        }
    }

    /** Checks the blob of a visible instance: present, SHA-256 matching, and the dataset byte-identical. */
    private static void assertStoredExactly(DataDirectory data, Sent instance, InstanceVersion version,
            String context) throws IOException {
        BlobId id = BlobId.of(version.blobSha256());
        VerifyResult result = data.blobs().verify(id);
        assertThat(result.status()).as("blob of SOP Instance %s in %s", instance.sopInstanceUid(), context)
                .isEqualTo(VerifyResult.Status.OK);
        byte[] blob = Files.readAllBytes(data.blobs().pathOf(id));
        byte[] storedDataset = Arrays.copyOfRange(blob, blob.length - instance.dataset().length, blob.length);
        assertThat(storedDataset).as("stored dataset of SOP Instance %s in %s", instance.sopInstanceUid(), context)
                .isEqualTo(instance.dataset());
    }

    private static long instanceRecords(DataDirectory data) throws IOException {
        long count = 0;
        try (JournalReader reader = data.journal().read(1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.type() == JournalRecordTypes.INSTANCE_STORED) {
                    count++;
                }
            }
        }
        return count;
    }
}
