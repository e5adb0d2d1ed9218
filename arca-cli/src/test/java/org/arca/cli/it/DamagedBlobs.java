package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;

/** Damages stored blobs on disk, as bit rot would, for tests of what Arca does with them. */
final class DamagedBlobs {

    private DamagedBlobs() {
    }

    /** Flips one byte in the middle of the stored blob of the instance and returns the blob's path. */
    static Path flipOneByte(Path data, String sopInstanceUid) throws Exception {
        String sha256 = null;
        for (JsonNode instance : Peers.instances(Peers.listJson(data))) {
            if (instance.get("sopInstanceUid").asText().equals(sopInstanceUid)) {
                sha256 = instance.get("sha256").asText();
            }
        }
        assertThat(sha256).as("SHA-256 of %s in arca list", sopInstanceUid).isNotNull();
        Path blob = BlobStore.openReadOnly(DataDirectory.blobsOf(data)).pathOf(BlobId.of(sha256));

        // Blobs are read-only files once published.
        ExternalTool.Result chmod = ExternalTool.run(List.of("chmod", "u+w", blob.toString()), null, 60);
        assertThat(chmod.exitCode()).as(chmod.output()).isZero();
        try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int value = file.read();
            file.seek(middle);
            file.write(value ^ 0xFF);
        }
        return blob;
    }
}
