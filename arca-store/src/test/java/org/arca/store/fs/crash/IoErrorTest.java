package org.arca.store.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.arca.dicom.association.Association;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.dimse.Status;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.VerifyResult;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.crash.FaultInjectingFileLayer.Operation;
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
 * Injected EIO on writes, fsyncs and directory fsyncs of blobs and journal segments during C-STORE
 * ingest: the C-STORE fails with Out of Resources, the store logs an error, nothing acknowledged is
 * lost, and the store works again once the fault clears. A failed fsync is never retried as if the
 * data were safe.
 */
class IoErrorTest {

    private static final long SEED = 4243L;
    private static final JournalOptions OPTIONS = JournalOptions.defaults().withSegmentSizeBytes(64 * 1024);
    private static final String UID_ROOT = "1.2.826.0.1.3680043.8.498.78.";

    /** The last UID component of the instances sent before, during and after the fault. */
    private static final String BEFORE = "1";
    private static final String DURING = "2";
    private static final String AFTER = "3";

    @TempDir
    Path temp;

    private final FaultInjectingFileLayer faults = new FaultInjectingFileLayer();
    private final Map<String, byte[]> acknowledged = new LinkedHashMap<>();
    private final Map<String, byte[]> datasets = new LinkedHashMap<>();
    private final Random random = new Random(SEED);
    private final ListAppender<ILoggingEvent> storeLog = new ListAppender<>();
    private final Logger storeLogger = (Logger) LoggerFactory.getLogger("org.arca.store");

    private Path root;
    /** Whether the instances are too large for the staging area and go straight to their blob files. */
    private boolean large;
    private DataDirectory data;
    private DicomServer server;
    private Association scu;

    @BeforeEach
    void start() throws IOException {
        storeLog.start();
        storeLogger.addAppender(storeLog);
        root = temp.resolve("data");
        data = DataDirectory.openForWriting(root, Clock.systemUTC(), faults, OPTIONS);
        server = CStoreLoad.startServer(data.ingestService());
        scu = CStoreLoad.connect(server.port(), "MODALITY");
    }

    @AfterEach
    void stop() throws IOException {
        if (scu != null) {
            scu.release();
        }
        if (server != null) {
            server.close();
        }
        if (data != null) {
            data.close();
        }
        storeLogger.detachAppender(storeLog);
    }

    @Test
    void blobWriteError() throws Exception {
        large = true;
        failThenRecover(Operation.WRITE, under(DataDirectory.blobsOf(root).resolve("tmp")));
        reopenAndCheck();
    }

    @Test
    void blobFsyncError() throws Exception {
        large = true;
        failThenRecover(Operation.FORCE, under(DataDirectory.blobsOf(root).resolve("tmp")));
        reopenAndCheck();
    }

    @Test
    void stagingWriteError() throws Exception {
        failThenRecover(Operation.WRITE, under(DataDirectory.blobsOf(root).resolve("staging")));
        reopenAndCheck();
    }

    /** A failed force poisons the pack: the instance fails, and the next ones go to a new pack. */
    @Test
    void stagingForceRetiresPack() throws Exception {
        failThenRecover(Operation.FORCE, under(DataDirectory.blobsOf(root).resolve("staging")));

        assertThat(faults.writesAfterFailedForce()).as("writes into a pack after its force failed").isEmpty();
        reopenAndCheck();
    }

    /** Staged blobs whose write-out fails stay staged and readable, and are written out later. */
    @Test
    void writeOutErrorKeepsStagedBlob() throws Exception {
        faults.fail(Operation.FORCE, under(DataDirectory.blobsOf(root).resolve("tmp")));
        assertThat(store(BEFORE)).as("status while blob files cannot be fsynced").isEqualTo(Status.SUCCESS);
        String uid = UID_ROOT + BEFORE;
        BlobId id = data.index().currentVersion(uid).map(v -> BlobId.of(v.blobSha256())).orElseThrow();
        assertThat(data.blobs().verify(id).isOk()).as("staged blob readable while its write-out fails").isTrue();

        faults.clear();
        data.blobs().writeOutStagedAndFsync();
        assertThat(Files.isRegularFile(data.blobs().pathOf(id))).as("blob file after the fault cleared").isTrue();
        reopenAndCheckWith(1);
    }

    @Test
    void journalWriteError() throws Exception {
        failThenRecover(Operation.WRITE, under(DataDirectory.journalOf(root)));
        reopenAndCheck();
    }

    /** Regression: a failed force used to be followed by zeros and new records in the same segment. */
    @Test
    void journalFsyncRetiresSegment() throws Exception {
        failThenRecover(Operation.FORCE, under(DataDirectory.journalOf(root)));

        assertThat(faults.writesAfterFailedForce()).as("writes into a segment after its force failed").isEmpty();
        try (Stream<Path> segments = Files.list(DataDirectory.journalOf(root))) {
            assertThat(segments.filter(p -> p.toString().endsWith(".seg")).count())
                    .as("journal segments after the failed force").isEqualTo(2);
        }
        reopenAndCheck();
    }

    /**
     * Regression: after a failed fsync of a fan-out directory, the same bytes sent again were
     * deduplicated against the existing name and acknowledged after a second fsync, which may succeed
     * without writing the entry that the first one lost. Now the second publish renames its own copy.
     */
    @Test
    void blobDirectoryFsyncErrorRepublishes() throws Exception {
        large = true;
        Path blobs = DataDirectory.blobsOf(root);
        Predicate<Path> fanOutLeaf = path -> path.startsWith(blobs)
                && path.getNameCount() == blobs.getNameCount() + 2 && !path.endsWith("tmp");

        failThenRecover(Operation.FSYNC_DIRECTORY, fanOutLeaf);

        String uid = UID_ROOT + DURING;
        Path directory = blobDirectoryOf(uid);
        List<Path> renames = faults.renameTargets();
        assertThat(renames.stream().filter(p -> p.getParent().equals(directory)).count())
                .as("renames into %s: the failed publish and the one after the fault cleared", directory)
                .isEqualTo(2);
        reopenAndCheck();
    }

    /**
     * Regression: when the fsync of {@code blobs/} failed after {@code mkdir blobs/ab}, the next
     * publish found {@code ab/} existing and never fsynced {@code blobs/}, so a power loss could drop
     * {@code ab/} with every blob in it. Now the parent is fsynced again before the next use.
     */
    @Test
    void blobFanOutParentFsyncErrorFsyncsAgain() throws Exception {
        large = true;
        Path blobs = DataDirectory.blobsOf(root).toAbsolutePath();

        assertThat(store(BEFORE)).isEqualTo(Status.SUCCESS);
        faults.fail(Operation.FSYNC_DIRECTORY, blobs::equals);
        assertThat(store(DURING)).as("status with an EIO on the fsync of %s", blobs)
                .isEqualTo(Status.OUT_OF_RESOURCES);
        faults.clear();
        int fsyncsBefore = faults.fsyncedDirectories().size();
        assertThat(resend(DURING)).as("status of the failed instance sent again").isEqualTo(Status.SUCCESS);

        List<Path> fsyncsOfResend = faults.fsyncedDirectories().subList(fsyncsBefore,
                faults.fsyncedDirectories().size());
        assertThat(fsyncsOfResend).as("directories fsynced by the publish after the fault cleared").contains(blobs);
        reopenAndCheckWith(2);
    }

    /**
     * Stores one instance, then sets the fault and expects Out of Resources and a logged error for
     * the next one, then clears it and stores a new instance and the failed one again.
     */
    private void failThenRecover(Operation operation, Predicate<Path> paths) throws Exception {
        assertThat(store(BEFORE)).as("status before the fault, seed %d", SEED).isEqualTo(Status.SUCCESS);

        faults.fail(operation, paths);
        storeLog.list.clear();
        assertThat(store(DURING)).as("status with an EIO on %s", operation).isEqualTo(Status.OUT_OF_RESOURCES);
        assertThat(faults.injectedCount()).as("injected faults").isPositive();
        assertThat(storeLog.list).as("error lines of the store")
                .anyMatch(event -> event.getLevel() == Level.ERROR && !event.getLoggerName().contains(".crash.")
                        && event.getFormattedMessage().contains("Input/output error"));

        faults.clear();
        assertThat(store(AFTER)).as("status after the fault cleared").isEqualTo(Status.SUCCESS);
        assertThat(resend(DURING)).as("status of the failed instance sent again").isEqualTo(Status.SUCCESS);
    }

    private int store(String name) throws IOException {
        String uid = UID_ROOT + name;
        byte[] dataset = large ? CStoreLoad.largeDataset(uid, 0, random) : CStoreLoad.dataset(uid, 0, random);
        datasets.put(uid, dataset);
        return send(uid, dataset);
    }

    private int resend(String name) throws IOException {
        String uid = UID_ROOT + name;
        return send(uid, datasets.get(uid));
    }

    private int send(String uid, byte[] dataset) throws IOException {
        int status = CStoreLoad.store(scu, uid, dataset);
        if (status == Status.SUCCESS) {
            acknowledged.put(uid, dataset);
        }
        return status;
    }

    private Path blobDirectoryOf(String uid) {
        InstanceVersion version = data.index().currentVersion(uid).orElseThrow();
        return data.blobs().pathOf(BlobId.of(version.blobSha256())).getParent();
    }

    private void reopenAndCheck() throws IOException {
        reopenAndCheckWith(3);
    }

    /** Reopens the data directory without faults and with a rebuilt index, and checks every acknowledged instance. */
    private void reopenAndCheckWith(int expectedInstances) throws IOException {
        assertThat(acknowledged).as("acknowledged instances").hasSize(expectedInstances);
        scu.release();
        scu = null;
        server.close();
        server = null;
        data.close();
        data = null;

        Files.delete(DataDirectory.indexOf(root));
        try (DataDirectory reopened = DataDirectory.openForWriting(root, Clock.systemUTC(), FileLayer.nio(), OPTIONS)) {
            assertThat(reopened.journal().verify().problems()).as("journal verification").isEmpty();
            assertThat(reopened.index().counts().versions()).as("index versions").isEqualTo(acknowledged.size());
            for (Map.Entry<String, byte[]> instance : acknowledged.entrySet()) {
                InstanceVersion version = reopened.index().currentVersion(instance.getKey()).orElseThrow();
                BlobId id = BlobId.of(version.blobSha256());
                assertThat(reopened.blobs().verify(id).status()).as("blob of %s", instance.getKey())
                        .isEqualTo(VerifyResult.Status.OK);
                byte[] blob = Files.readAllBytes(reopened.blobs().pathOf(id));
                byte[] dataset = instance.getValue();
                assertThat(Arrays.copyOfRange(blob, blob.length - dataset.length, blob.length))
                        .as("stored dataset of %s", instance.getKey()).isEqualTo(dataset);
            }
        }
    }

    private static Predicate<Path> under(Path directory) {
        Path absolute = directory.toAbsolutePath();
        return path -> path.startsWith(absolute);
    }
}
