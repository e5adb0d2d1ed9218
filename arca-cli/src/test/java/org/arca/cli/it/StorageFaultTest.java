package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.store.DataDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real storage faults under `arca serve`: a full data volume (a small tmpfs) and a write that the
 * file system refuses (an immutable directory). Each must give a failure status, leave nothing
 * partial or visible, keep the node up, and storing must work again once the fault is gone.
 * Needs root, as CI has; without it the tests are skipped with the reason.
 */
class StorageFaultTest {

    private static final int TMPFS_MEGABYTES = 24;
    private static final int MAX_SENDS_UNTIL_FULL = 100;

    @TempDir
    Path temp;

    private Path mountPoint;
    private List<TestInstance> slices;

    @BeforeEach
    void generateSlices() throws Exception {
        Path input = temp.resolve("input");
        Peers.generate("ct", "--slices", "60", "--out", input.toString());
        slices = TestInstance.readAll(input);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mountPoint != null) {
            ExternalTool.run(List.of("umount", mountPoint.toString()), null, 60);
        }
    }

    @Test
    void fullVolumeGivesOutOfResourcesUntilSpaceIsFreed() throws Exception {
        mountPoint = Files.createDirectories(temp.resolve("small-volume"));
        ExternalTool.Result mount = ExternalTool.run(List.of("mount", "-t", "tmpfs", "-o",
                "size=" + TMPFS_MEGABYTES + "m", "tmpfs", mountPoint.toString()), null, 60);
        assumeTrue(mount.exitCode() == 0, "mounting a tmpfs needs root: " + mount.output());
        Path filler = mountPoint.resolve("filler");
        Files.write(filler, new byte[4 << 20]);
        Path data = mountPoint.resolve("arca-data");

        try (ArcaProcess arca = ArcaProcess.start(data)) {
            int sent = 0;
            DimseResponse response = null;
            while (sent < MAX_SENDS_UNTIL_FULL && sent < slices.size()) {
                response = Scu.store(arca.dicomPort(), slices.get(sent++));
                if (response.status() != Status.SUCCESS) {
                    break;
                }
            }
            assertThat(response).isNotNull();
            assertThat(response.status()).as("status when the volume is full").isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(response.errorComment()).isNotBlank();
            assertThat(arca.awaitLog("failed with status 0xA700", Duration.ofSeconds(10)))
                    .contains("failed with status 0xA700");
            assertThat(arca.healthStatus()).isEqualTo(200);
            assertNoTemporaryFiles(data);

            Files.delete(filler);
            DimseResponse afterFreeing = Scu.store(arca.dicomPort(), slices.get(sent - 1));
            assertThat(afterFreeing.status()).as("status once space is freed").isEqualTo(Status.SUCCESS);
            assertThat(arca.terminate(Duration.ofSeconds(60))).isZero();
        }
        ExternalTool.Result verify = Peers.arca("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    @Test
    void refusedWriteGivesProcessingFailure() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            assertThat(Scu.store(arca.dicomPort(), slices.get(0)).status()).isEqualTo(Status.SUCCESS);
            Path blobs = DataDirectory.blobsOf(data);
            ExternalTool.Result immutable = ExternalTool.run(List.of("chattr", "-R", "+i", blobs.toString()), null, 60);
            assumeTrue(immutable.exitCode() == 0, "chattr +i needs root and ext4: " + immutable.output());
            ExternalTool.run(List.of("chattr", "-i", blobs.resolve("tmp").toString()), null, 60);
            try {
                DimseResponse refused = Scu.store(arca.dicomPort(), slices.get(1));
                assertThat(refused.status()).as("status when the write is refused").isEqualTo(Status.PROCESSING_FAILURE);
                assertThat(refused.errorComment()).isNotBlank();
                assertNoTemporaryFiles(data);
            } finally {
                ExternalTool.run(List.of("chattr", "-R", "-i", blobs.toString()), null, 60);
            }

            assertThat(Scu.store(arca.dicomPort(), slices.get(1)).status()).as("status after the fault")
                    .isEqualTo(Status.SUCCESS);
            assertThat(arca.terminate(Duration.ofSeconds(60))).isZero();
        }
        assertThat(Peers.instances(Peers.listJson(data))).hasSize(2);
        ExternalTool.Result verify = Peers.arca("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    /**
     * Checks that no ingest left a temporary file. Files of the staging area's background write-out
     * (named writeout-*) may come and go while it retries, so they are not counted.
     */
    private static void assertNoTemporaryFiles(Path data) throws IOException {
        try (Stream<Path> leftovers = Files.list(DataDirectory.blobsOf(data).resolve("tmp"))) {
            assertThat(leftovers.filter(file -> !file.getFileName().toString().startsWith("writeout-")))
                    .as("temporary files left by a failed store").isEmpty();
        }
    }
}
