package org.arca.store.blob.staging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.ingest.IngestResult;
import org.arca.store.ingest.IngestServiceTestData;
import org.arca.store.repair.BlobDamage;
import org.arca.store.fs.FileLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged staged blob of an acknowledged instance becomes a BLOB_DAMAGE_DETECTED journal record when
 * a data directory opens. A damaged entry that no stored version names is only logged.
 */
class StagedDamageRecordTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String SOP_INSTANCE = "1.2.826.0.1.3680043.8.498.77";

    @TempDir
    Path temp;

    @Test
    void openRecordsDamageOfStoredVersion() throws Exception {
        Path root = temp.resolve("arca-data");
        BlobId stored = ingestAndClose(root);

        // As after a crash before the write-out, with the staged bytes changed on disk: the blob exists only as a
        // damaged pack entry. A second entry names a blob that no instance has.
        Path blobFile = blobFileOf(root, stored);
        byte[] damaged = Files.readAllBytes(blobFile);
        Files.delete(blobFile);
        damaged[damaged.length - 1] ^= 1;
        byte[] unreferenced = new byte[2_000];
        new Random(7).nextBytes(unreferenced);
        BlobId unreferencedId = BlobId.ofDigest(StagingRecovery.sha256(unreferenced));
        unreferenced[0] ^= 1;
        Path staging = Files.createDirectories(DataDirectory.blobsOf(root).resolve("staging"));
        StagingPack pack = StagingPack.createAndFsync(FileLayer.nio(), staging, 900);
        pack.append(stored, damaged, damaged.length);
        pack.append(unreferencedId, unreferenced, unreferenced.length);
        pack.forceCoveringWrittenEntries();
        pack.closeQuietly();

        List<BlobDamage> findings;
        try (DataDirectory data = DataDirectory.openForWriting(root, Clock.systemUTC())) {
            findings = data.repairs().readDamage();
        }

        assertThat(findings).as("damage records").hasSize(1);
        BlobDamage finding = findings.get(0);
        assertThat(finding.sopInstanceUid()).as("SOP Instance").isEqualTo(SOP_INSTANCE);
        assertThat(finding.version()).as("version").isEqualTo(1);
        assertThat(finding.blobSha256()).as("blob").isEqualTo(stored.hex());
        assertThat(finding.detectedBy()).as("detected by").isEqualTo("staging");
        assertThat(finding.path()).as("where").contains("pack-").contains("offset");
        assertThat(finding.problem()).as("problem").contains("hash to");

        try (DataDirectory reopened = DataDirectory.openForWriting(root, Clock.systemUTC())) {
            assertThat(reopened.repairs().readDamage()).as("damage records after another open").hasSize(1);
        }
    }

    /** Stores one small instance and closes, which writes its staged blob out to its file. */
    private static BlobId ingestAndClose(Path root) throws Exception {
        byte[] dataset = IngestServiceTestData.dataset(SOP_INSTANCE, "DOE^JANE",
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        try (DataDirectory data = DataDirectory.openForWriting(root, Clock.systemUTC())) {
            IngestResult result = data.ingestService().ingest(new IngestRequest(CT, SOP_INSTANCE,
                    UID.ExplicitVRLittleEndian, "MODALITY"), new ByteArrayInputStream(dataset));
            return result.blobId();
        }
    }

    private static Path blobFileOf(Path root, BlobId id) throws IOException {
        String hex = id.hex();
        Path file = DataDirectory.blobsOf(root).resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
        assertThat(file).as("blob file after close").exists();
        return file;
    }
}
