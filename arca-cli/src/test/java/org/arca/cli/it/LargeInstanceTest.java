package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.arca.dicom.association.Association;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.io.DicomInputStream;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB multiframe instance ingested by `arca serve` running with a 256 MB heap
 * ({@link ArcaProcess} starts every node with -Xmx256m), streamed from the file by Arca's SCU.
 */
class LargeInstanceTest {

    @TempDir
    Path temp;

    @Test
    void twoGibInstanceIngestsWithSmallHeap() throws Exception {
        Path input = temp.resolve("input");
        Peers.generate("large", "--gigabytes", "2", "--out", input.toString());
        Path file;
        try (var files = Files.list(input)) {
            file = files.findFirst().orElseThrow();
        }
        Path data = temp.resolve("arca-data");

        long datasetOffset;
        Attributes meta;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            DicomInputStream reader = new DicomInputStream(in);
            meta = reader.readFileMetaInformation();
            datasetOffset = reader.position();
        }
        String sopInstanceUid = meta.getString(Tag.MediaStorageSOPInstanceUID);
        String sha256OfSentDataset = sha256(file, datasetOffset);

        try (ArcaProcess arca = ArcaProcess.start(data)) {
            DimseResponse response = sendFrom(arca.dicomPort(), file, datasetOffset, meta);
            assertThat(response.status()).as("C-STORE status of the 2 GiB instance").isEqualTo(Status.SUCCESS);
            assertThat(arca.log()).doesNotContain("OutOfMemoryError");
        }

        List<JsonNode> instances = Peers.instances(Peers.listJson(data));
        assertThat(instances).hasSize(1);
        assertThat(instances.get(0).get("sopInstanceUid").asText()).isEqualTo(sopInstanceUid);
        assertThat(instances.get(0).get("sizeBytes").asLong()).isGreaterThan(2L << 30);
        Path blob = BlobStore.openReadOnly(DataDirectory.blobsOf(data))
                .pathOf(BlobId.of(instances.get(0).get("sha256").asText()));
        long blobDatasetOffset;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(blob))) {
            DicomInputStream reader = new DicomInputStream(in);
            reader.readFileMetaInformation();
            blobDatasetOffset = reader.position();
        }
        assertThat(sha256(blob, blobDatasetOffset)).as("SHA-256 of the stored dataset bytes")
                .isEqualTo(sha256OfSentDataset);
    }

    private static DimseResponse sendFrom(int port, Path file, long datasetOffset, Attributes meta) throws IOException {
        String sopClassUid = meta.getString(Tag.MediaStorageSOPClassUID);
        String transferSyntaxUid = meta.getString(Tag.TransferSyntaxUID);
        Association association = Scu.connect(port, sopClassUid, transferSyntaxUid);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            in.skipNBytes(datasetOffset);
            DimseResponse response = association.cstore(sopClassUid, meta.getString(Tag.MediaStorageSOPInstanceUID),
                    transferSyntaxUid, in, 0);
            association.release();
            return response;
        } catch (IOException | RuntimeException e) {
            association.abort();
            throw e;
        }
    }

    private static String sha256(Path file, long fromOffset) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20),
                digest)) {
            in.skipNBytes(fromOffset);
            digest.reset();
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
