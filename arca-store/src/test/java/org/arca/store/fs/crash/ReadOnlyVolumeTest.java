package org.arca.store.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.arca.dicom.association.Association;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.dimse.Status;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.VerifyResult;
import org.arca.store.fs.FileLayer;
import org.arca.store.index.InstanceVersion;
import org.arca.store.journal.JournalOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A data volume that turns read-only under a running node. Linux refuses {@code mount -o
 * remount,ro} with EBUSY while a file on the volume is open for writing, as the journal segment and
 * the index always are, so the test uses what a disk error does to ext4 mounted with
 * {@code errors=remount-ro}: a 32 MiB ext4 image, loop-mounted by the test under its temporary
 * directory, is switched to read-only through {@code /sys/fs/ext4/<device>/trigger_fs_error}. The
 * C-STORE must fail with Out of Resources and an error line, and after the node stops, the volume
 * is checked with e2fsck and mounted again, every acknowledged instance must be there and ingest
 * must work. Skipped when mounting is not permitted. ext4 refuses to remount itself read-write after
 * such an error, so the recovery is a restart, not a remount.
 */
class ReadOnlyVolumeTest {

    private static final long SEED = 4244L;
    private static final JournalOptions OPTIONS = JournalOptions.defaults().withSegmentSizeBytes(64 * 1024);
    private static final String UID_ROOT = "1.2.826.0.1.3680043.8.498.79.";

    @TempDir
    Path temp;

    private Path image;
    private Path mountPoint;
    private boolean mounted;
    private final Random random = new Random(SEED);
    private final Map<String, byte[]> acknowledged = new LinkedHashMap<>();
    private final ListAppender<ILoggingEvent> storeLog = new ListAppender<>();
    private final Logger storeLogger = (Logger) LoggerFactory.getLogger("org.arca.store");

    @BeforeEach
    void mountExt4Image() throws Exception {
        image = temp.resolve("volume.img");
        mountPoint = Files.createDirectory(temp.resolve("volume"));
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(32L * 1024 * 1024);
        }
        CommandResult mkfs = run("mkfs.ext4", "-q", "-F", image.toString());
        assumeTrue(mkfs.exitCode == 0, "Skipping the read-only volume test: mkfs.ext4 failed: " + mkfs.output);
        mount();
        storeLog.start();
        storeLogger.addAppender(storeLog);
    }

    @AfterEach
    void unmount() throws Exception {
        storeLogger.detachAppender(storeLog);
        if (mounted) {
            CommandResult result = run("umount", mountPoint.toString());
            assertThat(result.exitCode).as("umount %s: %s", mountPoint, result.output).isZero();
        }
    }

    @Test
    void volumeTurnsReadOnlyUnderRunningNode() throws Exception {
        Path root = mountPoint.resolve("data");
        DataDirectory data = DataDirectory.openForWriting(root, Clock.systemUTC(), FileLayer.nio(), OPTIONS);
        try (DicomServer server = CStoreLoad.startServer(data.ingestService())) {
            Association scu = CStoreLoad.connect(server.port(), "MODALITY");
            assertThat(store(scu, "1")).as("status before the volume turned read-only, seed %d", SEED)
                    .isEqualTo(Status.SUCCESS);

            triggerFileSystemError();
            storeLog.list.clear();
            assertThat(store(scu, "2")).as("status on the read-only volume").isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(store(scu, "3")).as("status of a second store on the read-only volume")
                    .isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(storeLog.list).as("error lines of the store")
                    .anyMatch(event -> event.getLevel() == Level.ERROR && !event.getLoggerName().contains(".crash.")
                            && event.getFormattedMessage().contains("Read-only file system"));
            scu.release();
        } finally {
            closeAfterFailure(data);
        }

        remountAfterCheck();
        try (DataDirectory reopened = DataDirectory.openForWriting(root, Clock.systemUTC(), FileLayer.nio(), OPTIONS);
                DicomServer server = CStoreLoad.startServer(reopened.ingestService())) {
            assertThat(reopened.journal().verify().problems()).as("journal verification").isEmpty();
            Association scu = CStoreLoad.connect(server.port(), "MODALITY");
            assertThat(store(scu, "2")).as("status after the volume was repaired").isEqualTo(Status.SUCCESS);
            scu.release();
            assertAcknowledgedStored(reopened);
        }
    }

    private int store(Association scu, String name) throws IOException {
        String uid = UID_ROOT + name;
        byte[] dataset = CStoreLoad.dataset(uid, 0, random);
        int status = CStoreLoad.store(scu, uid, dataset);
        if (status == Status.SUCCESS) {
            acknowledged.put(uid, dataset);
        }
        return status;
    }

    private void assertAcknowledgedStored(DataDirectory data) throws IOException {
        assertThat(acknowledged).hasSize(2);
        for (Map.Entry<String, byte[]> instance : acknowledged.entrySet()) {
            InstanceVersion version = data.index().currentVersion(instance.getKey()).orElseThrow();
            BlobId id = BlobId.of(version.blobSha256());
            assertThat(data.blobs().verify(id).status()).as("blob of %s", instance.getKey())
                    .isEqualTo(VerifyResult.Status.OK);
            byte[] blob = Files.readAllBytes(data.blobs().pathOf(id));
            byte[] dataset = instance.getValue();
            assertThat(Arrays.copyOfRange(blob, blob.length - dataset.length, blob.length))
                    .as("stored dataset of %s", instance.getKey()).isEqualTo(dataset);
        }
    }

    /** Closing may fail on a read-only volume (the index cannot checkpoint); the failure is expected. */
    private static void closeAfterFailure(DataDirectory data) {
        try {
            data.close();
        } catch (IOException e) {
            LoggerFactory.getLogger(ReadOnlyVolumeTest.class)
                    .info("Closing the data directory on the read-only volume failed as expected: {}", e.toString());
        }
    }

    private void mount() throws Exception {
        CommandResult result = run("mount", "-o", "loop,errors=remount-ro", image.toString(), mountPoint.toString());
        assumeTrue(result.exitCode == 0, "Skipping the read-only volume test: loop-mounting " + image + " at "
                + mountPoint + " failed (it needs root and loop devices): " + result.output);
        mounted = true;
    }

    private void triggerFileSystemError() throws Exception {
        String device = run("findmnt", "-n", "-o", "SOURCE", mountPoint.toString()).output.strip();
        Path trigger = Path.of("/sys/fs/ext4", Path.of(device).getFileName().toString(), "trigger_fs_error");
        assumeTrue(Files.isWritable(trigger), "Skipping the read-only volume test: " + trigger + " is not writable");
        Files.writeString(trigger, "arca read-only volume test\n", StandardCharsets.US_ASCII);
    }

    private void remountAfterCheck() throws Exception {
        CommandResult umount = run("umount", mountPoint.toString());
        assertThat(umount.exitCode).as("umount %s: %s", mountPoint, umount.output).isZero();
        mounted = false;
        // e2fsck exits with 1 when it corrected errors, such as the error flag set by the trigger.
        CommandResult fsck = run("e2fsck", "-f", "-y", image.toString());
        assertThat(fsck.exitCode).as("e2fsck of %s: %s", image, fsck.output).isLessThanOrEqualTo(1);
        mount();
    }

    private record CommandResult(int exitCode, String output) {
    }

    private static CommandResult run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new CommandResult(-1, String.join(" ", command) + " timed out after 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CommandResult(process.exitValue(), output);
    }
}
