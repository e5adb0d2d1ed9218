package org.arca.store.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.arca.dicom.association.Association;
import org.arca.dicom.association.DicomServer;
import org.arca.dicom.dimse.Status;
import org.arca.store.DataDirectory;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.crash.CStoreLoad.Sent;
import org.arca.store.fs.crash.CrashStateCheck.Outcome;
import org.arca.store.fs.crash.CrashStates.CrashState;
import org.arca.store.fs.crash.CrashStates.Kind;
import org.arca.store.fs.crash.FaultInjectingFileLayer.Operation;
import org.arca.store.journal.JournalOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * Power-loss consistency of the ingest path: concurrent C-STORE associations store through the
 * real store on a {@link CrashRecorder}, then every recorded crash state is materialised and opened
 * with the real store, which must keep every acknowledged instance byte-identical, verify its
 * journal, rebuild an index of exactly the durable instances and log what recovery cut.
 *
 * <p>{@code -Darca.crash.seed=N} repeats a run; {@code -Darca.crash.states=N} sets the number of
 * random states of the longer run (default 600).
 */
class PowerLossTest {

    /** Small segments, so that the runs also cross segment rolls and their preallocation. */
    private static final JournalOptions OPTIONS = JournalOptions.defaults().withSegmentSizeBytes(16 * 1024);

    private static final long SEED = Long.getLong("arca.crash.seed", System.nanoTime());
    private static final int RANDOM_STATES = Integer.getInteger("arca.crash.states", 600);

    /**
     * Every this many states, and for the last one, the check opens the whole data directory and
     * rebuilds the index, which costs about 100 ms (SQLite and the schema check). The other states
     * check the journal and the blobs only.
     */
    private static final int INDEX_CHECK_INTERVAL = 10;

    @TempDir(factory = MemoryTempDirFactory.class)
    Path temp;

    @Test
    void everyFsyncBoundaryOfSmallRun() throws Exception {
        Recorded run = record(3, 4, SEED);
        List<Integer> points = CrashStates.fsyncBoundaries(run.operations);
        Random random = new Random(SEED);

        List<CrashState> states = new ArrayList<>();
        for (int point : points) {
            for (Kind kind : Kind.values()) {
                states.add(CrashStates.state(run.operations, point, kind, random));
            }
        }
        checkAll(run, states, "every fsync boundary");
    }

    @Test
    void seededRandomStatesOfLongerRun() throws Exception {
        Recorded run = record(4, 10, SEED + 1);
        Random random = new Random(SEED + 1);

        List<CrashState> states = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = 0; i < RANDOM_STATES; i++) {
            int point = random.nextInt(run.operations.size() + 1);
            states.add(CrashStates.state(run.operations, point, kinds[random.nextInt(kinds.length)], random));
        }
        checkAll(run, states, "random points");
    }

    /**
     * Power loss after I/O errors. The errors: a failed journal force (the segment is retired), a
     * failed force of a staging pack (the pack is retired), a failed fsync of a temporary blob, and
     * a failed fsync of a blob's directory followed by the same instance sent again (it is renamed in
     * again). The last two use instances too large for the staging area. A failed fsync is not
     * recorded, so it makes nothing durable.
     */
    @Test
    void everyFsyncBoundaryAfterIoErrors() throws Exception {
        Path root = Files.createDirectory(temp.resolve("recorded"));
        FaultInjectingFileLayer faults = new FaultInjectingFileLayer();
        CrashRecorder recorder = new CrashRecorder(root, faults);
        Path journal = DataDirectory.journalOf(root).toAbsolutePath();
        Path blobs = DataDirectory.blobsOf(root).toAbsolutePath();
        Random random = new Random(SEED + 2);
        List<Sent> sent = new ArrayList<>();

        try (DataDirectory data = DataDirectory.openForWriting(root, Clock.systemUTC(), recorder, OPTIONS);
                DicomServer server = CStoreLoad.startServer(data.ingestService())) {
            Association scu = CStoreLoad.connect(server.port(), "MODALITY");
            storeAndRecord(scu, 1, random, recorder, sent);
            storeAndRecord(scu, 2, random, recorder, sent);
            faults.fail(Operation.FORCE, path -> path.startsWith(journal));
            storeAndRecord(scu, 3, random, recorder, sent);
            faults.clear();
            storeAndRecord(scu, 4, random, recorder, sent);
            faults.fail(Operation.FORCE, path -> path.startsWith(blobs.resolve("staging")));
            storeAndRecord(scu, 5, random, recorder, sent);
            faults.clear();
            // The write-out of earlier staged blobs must not meet the faults meant for the ingests below.
            data.blobs().writeOutStagedAndFsync();
            faults.fail(Operation.FORCE, path -> path.startsWith(blobs.resolve("tmp")));
            storeLargeAndRecord(scu, 6, random, recorder, sent);
            faults.clear();
            faults.fail(Operation.FSYNC_DIRECTORY,
                    path -> path.startsWith(blobs) && path.getNameCount() == blobs.getNameCount() + 2);
            Sent failed = storeLargeAndRecord(scu, 7, random, recorder, sent);
            faults.clear();
            sendAgainAndRecord(scu, failed, recorder, sent);
            storeAndRecord(scu, 8, random, recorder, sent);
            scu.release();
        }
        assertThat(sent).extracting(Sent::status).as("statuses, seed %d", SEED)
                .containsExactly(Status.SUCCESS, Status.SUCCESS, Status.OUT_OF_RESOURCES, Status.SUCCESS,
                        Status.OUT_OF_RESOURCES, Status.OUT_OF_RESOURCES, Status.OUT_OF_RESOURCES, Status.SUCCESS,
                        Status.SUCCESS);

        Recorded run = new Recorded(recorder.operations(), sent);
        List<CrashState> states = new ArrayList<>();
        for (int point : CrashStates.fsyncBoundaries(run.operations)) {
            for (Kind kind : Kind.values()) {
                states.add(CrashStates.state(run.operations, point, kind, random));
            }
        }
        checkAll(run, states, "after I/O errors");
    }

    /**
     * A power loss during the start after a crash. That start writes out the staged blobs that the crash
     * left in their packs, and a second crash may cut the write-out anywhere. Every state of the second
     * crash must still hold each instance acknowledged before the first, byte-identical.
     */
    @Test
    void everyFsyncBoundaryOfStartAfterCrash() throws Exception {
        Recorded run = record(3, 4, SEED + 3);
        int allAcknowledged = run.sent.stream().mapToInt(Sent::responseMark).max().orElseThrow();
        Random random = new Random(SEED + 3);
        List<CrashState> firstCrashes = List.of(
                CrashStates.state(run.operations, allAcknowledged, Kind.ALL, random),
                CrashStates.state(run.operations, allAcknowledged, Kind.DURABLE_ONLY, random),
                CrashStates.state(run.operations, allAcknowledged, Kind.SUBSET, random));

        for (int i = 0; i < firstCrashes.size(); i++) {
            CrashState first = firstCrashes.get(i);
            Path afterFirst = Files.createDirectory(temp.resolve("first-crash-" + i));
            CrashStates.materialise(run.operations, first, afterFirst);
            // The write-out waits for a pause in arrivals, so at the last response the latest blobs are
            // still staged only, and the start must write them out.
            assertThat(packsIn(afterFirst)).as("staging packs after the %s, seed %d", first.describe(), SEED)
                    .isNotEmpty();
            assertThat(blobFilesIn(afterFirst)).as("blob files after the %s, seed %d", first.describe(), SEED)
                    .isLessThan(run.sent.size());

            CrashRecorder recorder = new CrashRecorder(afterFirst);
            int existing = recorder.recordExistingTreeAsDurable();
            DataDirectory.openForWriting(afterFirst, Clock.systemUTC(), recorder, OPTIONS).close();
            Recorded start = new Recorded(recorder.operations(), asSeenAtStart(run.sent, first.crashPoint()));

            List<CrashState> secondCrashes = new ArrayList<>();
            for (int point : CrashStates.fsyncBoundaries(start.operations)) {
                if (point < existing) {
                    continue;
                }
                for (Kind kind : Kind.values()) {
                    secondCrashes.add(CrashStates.state(start.operations, point, kind, random));
                }
            }
            checkAll(start, secondCrashes, "start after the " + first.describe());
        }
    }

    /**
     * Returns the instances of a run as the check of a start after a crash expects them: acknowledged
     * before any operation of that start, or never.
     */
    private static List<Sent> asSeenAtStart(List<Sent> sent, int crashPoint) {
        return sent.stream().map(instance -> new Sent(instance.sopInstanceUid(), instance.dataset(), instance.status(),
                instance.acknowledgedBefore(crashPoint) ? 0 : Integer.MAX_VALUE)).toList();
    }

    /** Counts the blob files (not staged blobs) of a data directory. */
    private static long blobFilesIn(Path root) throws IOException {
        Path blobs = DataDirectory.blobsOf(root);
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(path -> blobs.relativize(path).getNameCount() == 3 && Files.isRegularFile(path)
                    && blobs.relativize(path).getName(0).toString().length() == 2).count();
        }
    }

    private static List<Path> packsIn(Path root) throws IOException {
        Path staging = DataDirectory.blobsOf(root).resolve("staging");
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(staging)) {
            return files.filter(path -> path.getFileName().toString().startsWith("pack-")).toList();
        }
    }

    private static Sent storeAndRecord(Association scu, int number, Random random, CrashRecorder recorder,
            List<Sent> sent) throws IOException {
        String uid = "1.2.826.0.1.3680043.8.498.80." + number;
        return storeAndRecord(scu, uid, CStoreLoad.dataset(uid, 0, random), recorder, sent);
    }

    private static Sent storeLargeAndRecord(Association scu, int number, Random random, CrashRecorder recorder,
            List<Sent> sent) throws IOException {
        String uid = "1.2.826.0.1.3680043.8.498.80." + number;
        return storeAndRecord(scu, uid, CStoreLoad.largeDataset(uid, 0, random), recorder, sent);
    }

    private static Sent storeAndRecord(Association scu, String uid, byte[] dataset, CrashRecorder recorder,
            List<Sent> sent) throws IOException {
        Sent result = new Sent(uid, dataset, CStoreLoad.store(scu, uid, dataset), recorder.operationCount());
        sent.add(result);
        return result;
    }

    private static void sendAgainAndRecord(Association scu, Sent earlier, CrashRecorder recorder, List<Sent> sent)
            throws IOException {
        int status = CStoreLoad.store(scu, earlier.sopInstanceUid(), earlier.dataset());
        sent.add(new Sent(earlier.sopInstanceUid(), earlier.dataset(), status, recorder.operationCount()));
    }

    private record Recorded(List<FileOperation> operations, List<Sent> sent) {
    }

    private Recorded record(int associations, int perAssociation, long seed) throws Exception {
        Path root = Files.createDirectory(temp.resolve("recorded"));
        CrashRecorder recorder = new CrashRecorder(root);
        List<Sent> sent;
        try (DataDirectory data = DataDirectory.openForWriting(root, Clock.systemUTC(), recorder, OPTIONS);
                DicomServer server = CStoreLoad.startServer(data.ingestService())) {
            sent = CStoreLoad.run(server.port(), associations, perAssociation, seed, recorder::operationCount);
        }
        assertThat(sent).extracting(Sent::status).as("statuses, seed %d", seed).containsOnly(Status.SUCCESS);
        return new Recorded(recorder.operations(), sent);
    }

    private void checkAll(Recorded run, List<CrashState> states, String runName) throws IOException {
        Logger arca = (Logger) LoggerFactory.getLogger("org.arca");
        Level level = arca.getLevel();
        arca.setLevel(Level.WARN);
        long started = System.nanoTime();
        long acknowledged = 0;
        long visible = 0;
        long withCuts = 0;
        long indexChecks = 0;
        Path emptyIndex = emptyIndex();
        try (RecoveryLog recoveryLog = new RecoveryLog()) {
            for (int i = 0; i < states.size(); i++) {
                Path directory = Files.createDirectory(temp.resolve("state-" + i));
                CrashStates.materialise(run.operations, states.get(i), directory);
                boolean withIndex = i % INDEX_CHECK_INTERVAL == 0 || i == states.size() - 1;
                if (withIndex) {
                    copyIndex(emptyIndex, directory);
                    indexChecks++;
                }
                Outcome outcome = CrashStateCheck.check(directory, states.get(i), run.sent, OPTIONS, recoveryLog,
                        withIndex, "seed " + SEED + " (-Darca.crash.seed)");
                acknowledged += outcome.acknowledged();
                visible += outcome.visible();
                withCuts += outcome.journalCuts() > 0 ? 1 : 0;
                deleteTree(directory);
            }
        } finally {
            arca.setLevel(level);
        }
        System.out.printf("Power-loss states (%s, seed %d): checked %d crash states of %d recorded operations and %d "
                + "C-STOREs in %d ms; %d acknowledged and %d visible instances checked; %d states needed a journal "
                + "cut; %d states rebuilt the index.%n", runName, SEED, states.size(), run.operations.size(),
                run.sent.size(), (System.nanoTime() - started) / 1_000_000, acknowledged, visible, withCuts,
                indexChecks);
    }

    /**
     * Creates an index with its schema and no record, once per test; later calls return the same one.
     * Each state that checks the index gets a copy, which saves the schema migration. The index is still rebuilt from the state's
     * journal, because an empty index replays every record from sequence 1.
     */
    private Path emptyIndex() throws IOException {
        Path root = temp.resolve("empty-index");
        if (Files.isDirectory(root)) {
            return DataDirectory.indexOf(root).getParent();
        }
        Files.createDirectory(root);
        DataDirectory.openForWriting(root, Clock.systemUTC(), FileLayer.nio(), OPTIONS).close();
        return DataDirectory.indexOf(root).getParent();
    }

    private static void copyIndex(Path emptyIndex, Path stateRoot) throws IOException {
        Path target = Files.createDirectory(DataDirectory.indexOf(stateRoot).getParent());
        try (Stream<Path> files = Files.list(emptyIndex)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
