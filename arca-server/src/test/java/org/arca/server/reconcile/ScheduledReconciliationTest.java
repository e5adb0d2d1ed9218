package org.arca.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.arca.server.config.ArcaConfig;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.TempBlob;
import org.arca.store.reconcile.LastReconcile;
import org.arca.store.reconcile.MismatchKind;
import org.arca.store.reconcile.ReconcileReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's scheduled reconciliation: report-only by default, its result persisted for arca status. */
class ScheduledReconciliationTest {

    @TempDir
    Path temp;

    @Test
    void runReportsWithoutRepairAndPersists() throws Exception {
        try (DataDirectory data = DataDirectory.openForWriting(temp, Clock.systemUTC());
                ScheduledReconciliation scheduled = ScheduledReconciliation.start(data,
                        ArcaConfig.Reconcile.defaults(), Clock.systemUTC())) {
            BlobId orphan = publishOrphan(data);

            ReconcileReport report = scheduled.runOnce();

            assertThat(scheduled.isScheduled()).isTrue();
            // A live run leaves young unreferenced blobs alone: they may belong to an ingest in progress.
            assertThat(report.found().get(MismatchKind.BLOB_ORPHANED)).isZero();
            assertThat(report.repair()).isFalse();
            assertThat(data.blobs().exists(orphan)).isTrue();
            ReconcileReport persisted = LastReconcile.read(temp).orElseThrow();
            assertThat(persisted.startedAtMillis()).isEqualTo(report.startedAtMillis());
            assertThat(persisted.blobs()).isEqualTo(1);
        }
    }

    @Test
    void zeroIntervalSchedulesNothing() throws Exception {
        try (DataDirectory data = DataDirectory.openForWriting(temp, Clock.systemUTC());
                ScheduledReconciliation scheduled = ScheduledReconciliation.start(data,
                        new ArcaConfig.Reconcile(0, false, 7), Clock.systemUTC())) {
            assertThat(scheduled.isScheduled()).isFalse();
            assertThat(LastReconcile.read(temp)).isEmpty();
        }
    }

    private static BlobId publishOrphan(DataDirectory data) throws Exception {
        TempBlob blob = data.blobs().createTemp();
        blob.outputStream().write("orphan".getBytes(StandardCharsets.US_ASCII));
        return data.blobs().publishAndFsync(blob);
    }
}
