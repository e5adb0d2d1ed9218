package org.arca.store.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.store.DataDirectory;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.ingest.IngestResult;
import org.arca.store.ingest.IngestServiceTestData;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobRepaired;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What arca verify prints about damage findings whose blobs are intact. */
class ArchiveVerifierFindingsTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String UID = "2.25.7001";

    @TempDir
    Path temp;

    /** An open finding of an intact blob is a hint, not a problem; a repair record closes it. */
    @Test
    void openFindingOfIntactBlobIsNamed() throws Exception {
        Path root = temp.resolve("arca-data");
        IngestResult stored;
        try (DataDirectory data = DataDirectory.openForWriting(root, Clock.systemUTC())) {
            stored = data.ingestService().ingest(new IngestRequest(CT, UID, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
                    "CT01"), new ByteArrayInputStream(IngestServiceTestData.dataset(UID, "DOE^JANE",
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
            data.repairs().appendDamageAndForce(new BlobDamage(BlobDamage.FORMAT_VERSION, UID, 1,
                    stored.blobId().hex(), data.blobs().pathOf(stored.blobId()).toString(), "missing", "C-GET", 0));
        }

        Outcome open = verify(root);

        assertThat(open.report().isOk()).isTrue();
        assertThat(open.problems()).isEmpty();
        assertThat(open.progress()).anySatisfy(line -> assertThat(line)
                .contains(stored.blobId().hex()).contains("is intact, but the damage finding").contains("--repair"));

        try (DataDirectory data = DataDirectory.openForWriting(root, Clock.systemUTC())) {
            data.repairs().appendRepairAndForce(new BlobRepaired(BlobRepaired.FORMAT_VERSION, UID, 1,
                    stored.blobId().hex(), "C-STORE from CT01", 0));
        }

        assertThat(verify(root).progress()).noneSatisfy(line -> assertThat(line).contains("damage finding"));
    }

    private record Outcome(VerifyReport report, List<String> problems, List<String> progress) {
    }

    private static Outcome verify(Path root) throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        VerifyReport report = new ArchiveVerifier(root, new VerifyListener() {
            @Override
            public void problem(String description) {
                problems.add(description);
            }

            @Override
            public void progress(String description) {
                progress.add(description);
            }
        }).verify();
        return new Outcome(report, problems, progress);
    }
}
