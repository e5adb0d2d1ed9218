package org.arca.store.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.arca.store.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An offline repair rebuilds the index from the journal when rows or attributes disagree with it. */
class ReconcileIndexRebuildTest {

    @TempDir
    Path temp;

    @Test
    void repairRebuildsDisagreeingIndex() throws Exception {
        ReconcileFixture fixture = new ReconcileFixture(temp.resolve("data"), 3);
        fixture.updateIndex("UPDATE studies SET study_description = 'EDITED BY HAND'");
        fixture.updateIndex("UPDATE instance_versions SET blob_sha256 = '" + "d".repeat(64)
                + "' WHERE journal_sequence = 3");
        fixture.close();
        List<ReconcileReport> reports = new ArrayList<>();

        ReconcileReport last = OfflineReconciliation.run(fixture.root, ReconcileOptions.offline(true), fixture.clock,
                ReconcileListener.NONE, (report, heading) -> reports.add(report));

        assertThat(reports).hasSize(2);
        assertThat(reports.get(0).indexRebuildNeeded()).isTrue();
        assertThat(reports.get(0).remaining().get(MismatchKind.INDEX_ROW_UNSUPPORTED)).isEqualTo(1);
        assertThat(reports.get(0).remaining().get(MismatchKind.ATTRIBUTE_MISMATCH)).isEqualTo(1);
        assertThat(last.isClean()).as("after the rebuild: %s", last).isTrue();
        assertThat(last.indexRows()).isEqualTo(3);
        try (Stream<Path> kept = Files.list(DataDirectory.indexOf(fixture.root).getParent())) {
            assertThat(kept.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("arca.sqlite.before-rebuild-"));
        }
        fixture.data = DataDirectory.openForWriting(fixture.root, fixture.clock);
        try {
            assertThat(fixture.reconcileActions()).extracting(ReconcileAction::action)
                    .contains(ReconcileAction.INDEX_REBUILT);
            assertThat(fixture.data.index().versions(ReconcileFixture.UID_PREFIX + ".3")).singleElement()
                    .satisfies(v -> assertThat(v.blobSha256()).isEqualTo(fixture.stored.get(2).blobId().hex()));
        } finally {
            fixture.close();
        }
    }
}
