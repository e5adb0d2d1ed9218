package org.arca.store.blob.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.PendingBlob;
import org.arca.store.fs.FileLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class StagingAreaTest {

    private static final long SEED = 20261205L;

    @TempDir
    Path temp;

    private final Random random = new Random(SEED);

    @Test
    void stagedBlobIsReadableThenWrittenOut() throws IOException {
        byte[] bytes = randomBytes(10_000);
        try (BlobStore store = BlobStore.open(temp)) {
            BlobId id = publish(store, bytes);

            assertThat(readAll(store, id)).as("bytes read back, seed %d", SEED).isEqualTo(bytes);
            assertThat(store.verify(id).isOk()).isTrue();

            store.writeOutStagedAndFsync();
            assertThat(Files.readAllBytes(temp.resolve(id.hex().substring(0, 2)).resolve(id.hex().substring(2, 4))
                    .resolve(id.hex()))).as("blob file after write-out").isEqualTo(bytes);
        }
        assertThat(packsIn(temp.resolve("staging"))).as("packs left after close").isEmpty();
    }

    @Test
    void largeBlobSkipsStaging() throws IOException {
        byte[] bytes = randomBytes(StagingArea.MAX_STAGED_BLOB_BYTES + 1);
        try (BlobStore store = BlobStore.open(temp)) {
            BlobId id = publish(store, bytes);

            Path file = temp.resolve(id.hex().substring(0, 2)).resolve(id.hex().substring(2, 4)).resolve(id.hex());
            assertThat(Files.readAllBytes(file)).as("blob file right after publish").isEqualTo(bytes);
        }
    }

    @Test
    void concurrentBlobsShareForcesAndAllArrive() throws Exception {
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            blobs.add(randomBytes(1 + random.nextInt(20_000)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (BlobStore store = BlobStore.open(temp, FileLayer.nio(), 256 * 1024)) {
            List<Future<BlobId>> ids = new ArrayList<>();
            for (byte[] bytes : blobs) {
                ids.add(pool.submit(() -> publish(store, bytes)));
            }
            for (int i = 0; i < blobs.size(); i++) {
                assertThat(readAll(store, ids.get(i).get())).as("blob %d, seed %d", i, SEED).isEqualTo(blobs.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
        try (BlobStore reopened = BlobStore.open(temp)) {
            try (Stream<BlobId> listed = reopened.list()) {
                assertThat(listed.count()).as("blob files after close").isEqualTo(blobs.size());
            }
        }
    }

    /** A crash before the write-out: the next open writes out every intact entry and stops at a torn one. */
    @Test
    void openStopsAtTornLastEntry() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        byte[] first = randomBytes(3_000);
        byte[] second = randomBytes(5_000);
        byte[] torn = randomBytes(7_000);
        StagingPack pack = StagingPack.createAndFsync(FileLayer.nio(), staging, 7);
        pack.append(BlobId.ofDigest(StagingRecovery.sha256(first)), first, first.length);
        pack.append(BlobId.ofDigest(StagingRecovery.sha256(second)), second, second.length);
        StagedLocation tornEntry = pack.append(BlobId.ofDigest(StagingRecovery.sha256(torn)), torn, torn.length);
        pack.forceCoveringWrittenEntries();
        pack.closeQuietly();
        overwrite(pack.path(), tornEntry.dataOffset() + 100, new byte[] {1, 2, 3});

        try (BlobStore store = BlobStore.open(temp)) {
            assertThat(readAll(store, BlobId.ofDigest(StagingRecovery.sha256(first)))).isEqualTo(first);
            assertThat(readAll(store, BlobId.ofDigest(StagingRecovery.sha256(second)))).isEqualTo(second);
            assertThat(store.exists(BlobId.ofDigest(StagingRecovery.sha256(torn)))).as("torn blob").isFalse();
        }
        assertThat(packsIn(staging)).as("packs after the open").isEmpty();
    }

    /** A crash with the pack's preallocated end still zero: the recovery logs no torn entry. */
    @Test
    void zeroTailIsNotReportedAsTorn() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        byte[] first = randomBytes(3_000);
        byte[] second = randomBytes(5_000);
        appendForceAndClose(StagingPack.createPreallocatedAndFsync(FileLayer.nio(), staging, 8, 64 * 1024), first,
                second);

        List<String> messages = recoveryMessagesDuring(() -> BlobStore.open(temp).close());

        assertThat(messages).as("recovery log lines").anyMatch(line -> line.contains("wrote out its 2 blobs"));
        assertThat(messages).as("recovery log lines").noneMatch(line -> line.contains("torn"));
    }

    /** A crash that tore the last entry: the recovery names the torn entry. */
    @Test
    void tornEntryIsReported() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        byte[] first = randomBytes(3_000);
        byte[] torn = randomBytes(7_000);
        StagingPack pack = StagingPack.createAndFsync(FileLayer.nio(), staging, 9);
        StagedLocation tornEntry = appendForceAndClose(pack, first, torn).get(1);
        overwrite(pack.path(), tornEntry.dataOffset() + 100, new byte[] {1, 2, 3});

        List<String> messages = recoveryMessagesDuring(() -> BlobStore.open(temp).close());

        assertThat(messages).as("recovery log lines").anyMatch(line -> line.contains("entry torn by the stop"));
    }

    /** Damage before intact entries: the entries after it are still written out, and the pack is kept. */
    @Test
    void damagedEntryDoesNotHideLaterOnes() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        byte[][] blobs = {randomBytes(3_000), randomBytes(5_000), randomBytes(7_000), randomBytes(2_000)};
        StagingPack pack = StagingPack.createAndFsync(FileLayer.nio(), staging, 5);
        List<StagedLocation> locations = new ArrayList<>();
        for (byte[] blob : blobs) {
            locations.add(pack.append(BlobId.ofDigest(StagingRecovery.sha256(blob)), blob, blob.length));
        }
        pack.forceCoveringWrittenEntries();
        pack.closeQuietly();
        overwrite(pack.path(), locations.get(1).dataOffset() + 10, new byte[] {9, 9, 9});
        overwrite(pack.path(), locations.get(2).entryOffset() + 20, new byte[] {9, 9, 9});

        try (BlobStore store = BlobStore.open(temp)) {
            assertThat(readAll(store, locations.get(0).id())).as("blob before the damage").isEqualTo(blobs[0]);
            assertThat(store.exists(locations.get(1).id())).as("blob with damaged bytes").isFalse();
            assertThat(store.exists(locations.get(2).id())).as("blob with a damaged header").isFalse();
            assertThat(readAll(store, locations.get(3).id())).as("blob after the damage").isEqualTo(blobs[3]);
        }
        assertThat(packsIn(staging)).as("packs left in the staging directory").isEmpty();
        assertThat(temp.resolve("staging-damaged").resolve(pack.path().getFileName())).as("kept damaged pack").exists();
    }

    /** The open hands every entry whose bytes do not hash to its id to the damage listener, once it is set. */
    @Test
    void openReportsMismatchedEntries() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        byte[][] blobs = {randomBytes(3_000), randomBytes(5_000), randomBytes(7_000)};
        StagingPack pack = StagingPack.createAndFsync(FileLayer.nio(), staging, 5);
        List<StagedLocation> locations = appendForceAndClose(pack, blobs);
        overwrite(pack.path(), locations.get(1).dataOffset() + 10, new byte[] {9, 9, 9});

        List<StagedDamage> reported = new ArrayList<>();
        try (BlobStore store = BlobStore.open(temp)) {
            store.onStagedDamage(reported::add);
        }

        assertThat(reported).as("damage reported at open").hasSize(1);
        assertThat(reported.get(0).id()).as("damaged blob").isEqualTo(locations.get(1).id());
        assertThat(reported.get(0).where()).as("where").contains(pack.path().getFileName().toString())
                .contains("offset " + locations.get(1).entryOffset());
        assertThat(reported.get(0).problem()).as("problem").contains("hash to");
    }

    /**
     * A staged blob whose bytes do not hash to its id (as after damage on disk) is reported once by the
     * write-out, never written to a file, and stays staged. The next open reports it again.
     */
    @Test
    void writeOutReportsDamagedBlobOnce() throws Exception {
        Path staging = temp.resolve("staging");
        List<BlobId> written = new ArrayList<>();
        StagedBlobWriter checkingWriter = (id, bytes) -> {
            BlobId actual = BlobId.ofDigest(StagingRecovery.sha256(bytes));
            if (!actual.equals(id)) {
                throw new StagedBlobDamagedException(id, actual);
            }
            synchronized (written) {
                written.add(id);
            }
        };
        byte[] intact = randomBytes(4_000);
        byte[] damaged = randomBytes(6_000);
        BlobId damagedId = BlobId.ofDigest(StagingRecovery.sha256(damaged));
        damaged[100] ^= 1;
        List<StagedDamage> reported = java.util.Collections.synchronizedList(new ArrayList<>());

        try (StagingArea area = StagingArea.openAndWriteOut(FileLayer.nio(), staging, checkingWriter, 1024 * 1024)) {
            area.onDamage(reported::add);
            area.stageAndForce(damagedId, damaged, damaged.length);
            BlobId intactId = BlobId.ofDigest(StagingRecovery.sha256(intact));
            area.stageAndForce(intactId, intact, intact.length);

            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while ((reported.isEmpty() || area.contains(intactId)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            area.writeOutAll();

            assertThat(reported).as("damage reported by the write-out").hasSize(1);
            assertThat(reported.get(0).id()).as("reported blob").isEqualTo(damagedId);
            assertThat(written).as("blobs written to files").containsExactly(intactId);
            assertThat(area.contains(damagedId)).as("damaged blob still staged").isTrue();
        }
        assertThat(reported).as("reports after close").hasSize(1);
        assertThat(packsIn(staging)).as("pack kept for the damaged blob").hasSize(1);

        List<StagedDamage> atReopen = new ArrayList<>();
        try (StagingArea reopened = StagingArea.openAndWriteOut(FileLayer.nio(), staging, checkingWriter,
                1024 * 1024)) {
            reopened.onDamage(atReopen::add);
        }
        assertThat(atReopen).as("damage reported by the next open").extracting(StagedDamage::id)
                .containsExactly(damagedId);
    }

    @Test
    void shortNonZeroFileStopsTheOpen() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        Path junk = staging.resolve("pack-000000000002.arcp");
        Files.write(junk, new byte[] {7, 1, 2, 3, 4, 5, 6});

        assertThatThrownBy(() -> BlobStore.open(temp)).hasMessageContaining("not an Arca staging pack")
                .hasMessageContaining("move it out of");
        assertThat(junk).as("the file is kept for the operator").exists();
    }

    @Test
    void recycledPackHidesEntriesOfItsPreviousUse() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        byte[] old = randomBytes(4_000);
        byte[] fresh = randomBytes(100);
        StagingPack pack = StagingPack.createPreallocatedAndFsync(FileLayer.nio(), staging, 1, 64 * 1024);
        pack.append(BlobId.ofDigest(StagingRecovery.sha256(old)), old, old.length);
        pack.append(BlobId.ofDigest(StagingRecovery.sha256(old)), old, old.length);
        pack.forceCoveringWrittenEntries();

        StagingPack recycled = pack.recycleAndFsync(2);
        recycled.append(BlobId.ofDigest(StagingRecovery.sha256(fresh)), fresh, fresh.length);
        recycled.forceCoveringWrittenEntries();
        recycled.closeQuietly();

        assertThat(packsIn(staging)).containsExactly(staging.resolve("pack-000000000002.arcp"));
        try (FileChannel channel = FileChannel.open(recycled.path(), StandardOpenOption.READ)) {
            assertThat(StagingPack.scanEntries(channel, recycled.path().toString()))
                    .extracting(StagedLocation::id).containsExactly(BlobId.ofDigest(StagingRecovery.sha256(fresh)));
        }
    }

    @Test
    void emptyPackLeftFromCreationIsDeleted() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        Files.write(staging.resolve("pack-000000000003.arcp"), new byte[10]);

        BlobStore.open(temp).close();

        assertThat(packsIn(staging)).isEmpty();
    }

    @Test
    void unknownPackFormatStopsTheOpen() throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        Path foreign = staging.resolve("pack-000000000004.arcp");
        Files.write(foreign, "NOTAPACK and some more bytes to fill a header".getBytes());

        assertThatThrownBy(() -> BlobStore.open(temp)).hasMessageContaining("not an Arca staging pack");
        assertThat(foreign).as("the file is kept for the operator").exists();
    }

    @Test
    void sameBytesStagedTwiceAreStagedOnce() throws IOException {
        byte[] bytes = randomBytes(2_000);
        try (BlobStore store = BlobStore.open(temp)) {
            BlobId first = publish(store, bytes);
            long sizeAfterFirst = packSize(temp.resolve("staging"));
            BlobId second = publish(store, bytes);

            assertThat(second).isEqualTo(first);
            assertThat(packSize(temp.resolve("staging"))).as("pack bytes after the duplicate")
                    .isLessThanOrEqualTo(sizeAfterFirst);
        }
    }

    /** Appends the blobs to the pack, forces it and closes it, as a run does before it is killed. */
    private static List<StagedLocation> appendForceAndClose(StagingPack pack, byte[]... blobs) throws IOException {
        List<StagedLocation> locations = new ArrayList<>();
        for (byte[] blob : blobs) {
            locations.add(pack.append(BlobId.ofDigest(StagingRecovery.sha256(blob)), blob, blob.length));
        }
        pack.forceCoveringWrittenEntries();
        pack.closeQuietly();
        return locations;
    }

    @FunctionalInterface
    private interface StoreAction {
        void run() throws IOException;
    }

    /** Returns the formatted messages that StagingRecovery logged while {@code action} ran. */
    private static List<String> recoveryMessagesDuring(StoreAction action) throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(StagingRecovery.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static BlobId publish(BlobStore store, byte[] bytes) throws IOException {
        PendingBlob pending = store.createPending();
        pending.outputStream().write(bytes);
        return store.publishAndFsync(pending);
    }

    private static byte[] readAll(BlobStore store, BlobId id) throws IOException {
        try (InputStream in = store.open(id)) {
            return in.readAllBytes();
        }
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static List<Path> packsIn(Path staging) throws IOException {
        try (Stream<Path> files = Files.list(staging)) {
            return files.filter(path -> path.getFileName().toString().startsWith("pack-")).sorted().toList();
        }
    }

    /**
     * The bytes used in the first pack (up to its last non-zero byte); a duplicate must not add to
     * it. Later packs are spares that the background preparation may create at any time.
     */
    private static long packSize(Path staging) throws IOException {
        byte[] bytes = Files.readAllBytes(packsIn(staging).get(0));
        int last = bytes.length - 1;
        while (last >= 0 && bytes[last] == 0) {
            last--;
        }
        return last + 1;
    }
}
