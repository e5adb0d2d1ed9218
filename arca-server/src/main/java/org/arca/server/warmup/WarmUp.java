package org.arca.server.warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.RetrieveResponse;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.dimse.StorageHandler;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.server.config.ArcaConfig;
import org.arca.server.dicom.ArchiveStorageHandler;
import org.arca.server.dicom.DicomService;
import org.arca.server.dicom.RetrieveRepairLog;
import org.arca.server.dicom.RetrieveService;
import org.arca.server.dicom.StorageCommitmentReporter;
import org.arca.server.dicom.StorageCommitmentScp;
import org.arca.server.dicom.WriteGate;
import org.arca.server.warmup.WarmUpInstances.Instance;
import org.arca.server.warmup.WarmUpInstances.Series;
import org.arca.store.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the DICOM paths of a node on synthetic instances before the node accepts connections, so
 * that the JIT compiler has compiled them when the first real study arrives.
 *
 * <p>A fresh JVM interprets the ingest path at first and compiles it while the first studies
 * arrive: on two cores the compiler threads took about 2 s of CPU during the first 2,000 small
 * instances, which then arrived at two thirds of the rate of a warm node. The warm-up stores
 * reports and CT slices over two associations, queries them with C-FIND, retrieves the CT
 * series with C-GET and stores a few hundred more, through the same classes as real traffic: a scratch data directory
 * ({@value #SCRATCH_DIRECTORY} inside the node's data directory, so on the same file system and
 * with the same fsyncs), a DICOM listener on a free loopback port, and Arca's own SCU.
 *
 * <p>The scratch directory is deleted before and after, and nothing of it reaches the node's
 * journal, index or blobs. Each synthetic patient keeps one name, so the index logs no conflict.
 * The scratch listener has its own association limit, not the node's. A stop request (SIGTERM
 * during the start) ends the warm-up early. A failed warm-up is logged and the node starts
 * without it: it makes the node faster, never more correct.
 */
public final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    static final String SCRATCH_DIRECTORY = "warm-up";
    private static final String AE_TITLE = "ARCA-WARM-UP";
    private static final String CALLING_AE_TITLE = "WARM-UP-SCU";
    private static final int REPORTS = 1_000;
    private static final int CT_SLICES = 100;
    private static final int FINDS = 20;
    /** Instances stored after the queries and retrieves (see {@link #exercise}). */
    private static final int SETTLE_REPORTS = 400;
    private static final int SETTLE_CT_SLICES = 40;
    private static final long RESPONSE_TIMEOUT_MS = 30_000;
    private static final int SMALL_SEND_PDU_LENGTH = 16_384;
    private static final int SCRATCH_MAX_ASSOCIATIONS = 4;
    private static final String IDENTIFIER_TRANSFER_SYNTAX = UID.ExplicitVRLittleEndian;
    /** The warm-up stops sending after this long, however far it got. */
    private static final long BUDGET_MS = 10_000;
    private static final long COMPILER_IDLE_MS = 200;
    private static final long COMPILER_WAIT_MS = 10_000;

    private WarmUp() {
    }

    /**
     * Warms up the paths of a node that serves {@code config}, logging what it did. Returns when
     * done, soon after {@code stopRequested} turns true, or after a failure, which it logs as a
     * warning.
     */
    public static void run(ArcaConfig config, BooleanSupplier stopRequested) {
        Path scratch = scratchOf(config);
        long started = System.nanoTime();
        LOG.info("Warming up the DICOM paths on synthetic instances in {} before accepting connections "
                + "(turn this off with --no-warm-up or warmUp: false).", scratch);
        try {
            deleteRecursively(scratch);
            Counts counts = runIn(scratch, config.dicom(), stopRequested);
            if (stopRequested.getAsBoolean()) {
                LOG.info("Warm-up stopped after {} ms because the node received a stop signal: stored {} reports and {} CT "
                        + "slices.", elapsedMs(started), counts.reports(), counts.slices());
                return;
            }
            long compileWaitMs = awaitCompilerIdle();
            LOG.info("Warm-up finished in {} ms: stored {} reports and {} CT slices, ran {} C-FINDs and retrieved "
                    + "{} instances with C-GET, then waited {} ms for the JIT compiler to finish.", elapsedMs(started),
                    counts.reports(), counts.slices(), counts.finds(), counts.retrieved(), compileWaitMs);
        } catch (Exception e) {
            LOG.warn("The warm-up failed after {} ms ({}); the node starts without it, and its first instances "
                    + "arrive while the JIT compiler still works.", elapsedMs(started), e.toString());
        } finally {
            deleteQuietly(scratch);
        }
    }

    /**
     * Deletes what a warm-up that was killed left behind, for a node that starts without a warm-up.
     * A failure is logged and does not stop the start.
     */
    public static void deleteLeftover(ArcaConfig config) {
        Path scratch = scratchOf(config);
        if (Files.exists(scratch)) {
            LOG.info("Deleting {}, which an interrupted warm-up left behind.", scratch);
            deleteQuietly(scratch);
        }
    }

    private static Path scratchOf(ArcaConfig config) {
        return scratchDirectory(config.dataDirectory());
    }

    /** Returns the scratch directory that a warm-up uses inside {@code dataDirectory}. */
    public static Path scratchDirectory(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().resolve(SCRATCH_DIRECTORY);
    }

    private record Counts(int reports, int slices, int finds, int retrieved) {
    }

    /**
     * Waits until the JIT compiler has compiled nothing for {@value #COMPILER_IDLE_MS} ms, at most
     * {@value #COMPILER_WAIT_MS} ms, and returns how long it waited. The optimizing compiler may still
     * be compiling methods that the warm-up made hot, and on two cores it would otherwise do so while
     * the first real studies arrive.
     */
    private static long awaitCompilerIdle() throws InterruptedException {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        long started = System.nanoTime();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(COMPILER_WAIT_MS);
        long before = compiler.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(COMPILER_IDLE_MS);
            long now = compiler.getTotalCompilationTime();
            if (now == before) {
                break;
            }
            before = now;
        }
        return elapsedMs(started);
    }

    /** Runs the warm-up against a private listener, to which the node's association limit does not apply. */
    private static Counts runIn(Path scratch, ArcaConfig.Dicom nodeDicom, BooleanSupplier stopRequested)
            throws Exception {
        ArcaConfig.Dicom dicomConfig = new ArcaConfig.Dicom(AE_TITLE, "127.0.0.1", 0, List.of(), false,
                SCRATCH_MAX_ASSOCIATIONS, nodeDicom.maxPduLength(), nodeDicom.artimTimeoutMs(), List.of(),
                nodeDicom.personNameCaseInsensitive(), nodeDicom.idleTimeoutMs());
        try (DataDirectory data = DataDirectory.openForWriting(scratch, Clock.systemUTC())) {
            RetrieveService retrieve = new RetrieveService(data.index(), data.blobs(),
                    data.blobs().root().resolve("tmp"), new RetrieveRepairLog(data.repairs(), Clock.systemUTC()));
            StorageCommitmentReporter reporter = new StorageCommitmentReporter(dicomConfig, data.index(),
                    data.blobs(), data.commitments(), 0);
            WriteGate gate = new WriteGate();
            try (DicomService dicom = DicomService.start(dicomConfig,
                    new ArchiveStorageHandler(data.ingestService(), gate), retrieve, data.index(),
                    new StorageCommitmentScp(data.commitments(), reporter))) {
                return exercise(dicom.port(), stopRequested);
            } finally {
                reporter.close();
            }
        }
    }

    /** Stores reports and CT slices concurrently, then queries and retrieves them. */
    private static Counts exercise(int port, BooleanSupplier stopRequested) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MS);
        BooleanSupplier goOn = () -> System.nanoTime() < deadline && !stopRequested.getAsBoolean();
        List<Series> reports = WarmUpInstances.seriesPerVariant("WARMUP-SR");
        List<Series> slices = WarmUpInstances.seriesPerVariant("WARMUP-CT");
        ExecutorService senders = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "arca-warm-up-scu");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<Integer> storedReports = senders.submit(
                    () -> store(port, REPORTS, goOn, number -> WarmUpInstances.report(reports, number)));
            Future<Integer> storedSlices = senders.submit(
                    () -> store(port, CT_SLICES, goOn, number -> WarmUpInstances.ctSlice(slices, number)));
            int reportCount = resultOf(storedReports);
            int sliceCount = resultOf(storedSlices);
            List<String> patientIds = new ArrayList<>();
            reports.forEach(series -> patientIds.add(series.patientId()));
            slices.forEach(series -> patientIds.add(series.patientId()));
            int finds = find(port, patientIds, goOn);
            int retrieved = 0;
            for (Series series : slices) {
                if (goOn.getAsBoolean()) {
                    retrieved += retrieve(port, series.studyInstanceUid());
                }
            }

            // The queries and retrieves parse and read through the same classes with other types, so the
            // compiler drops some of the ingest path's optimized code. A second, shorter round of stores
            // gets it compiled again, now for both kinds of use, before real traffic arrives.
            Future<Integer> moreReports = senders.submit(() -> store(port, SETTLE_REPORTS, goOn,
                    number -> WarmUpInstances.report(reports, REPORTS + number)));
            Future<Integer> moreSlices = senders.submit(() -> store(port, SETTLE_CT_SLICES, goOn,
                    number -> WarmUpInstances.ctSlice(slices, CT_SLICES + number)));
            reportCount += resultOf(moreReports);
            sliceCount += resultOf(moreSlices);
            return new Counts(reportCount, sliceCount, finds, retrieved);
        } finally {
            senders.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface InstanceMaker {
        Instance make(int number);
    }

    /**
     * Sends up to {@code count} new instances over one association and returns how many were stored.
     * Every other instance goes in PDUs of at most {@value #SMALL_SEND_PDU_LENGTH} bytes, dcmtk's default
     * maximum PDU size, and the others in PDUs as large as Arca accepts.
     */
    private static int store(int port, int count, BooleanSupplier goOn, InstanceMaker maker) throws IOException {
        Instance first = maker.make(1);
        Association association = connect(port, List.of(first.sopClassUid()), Set.of());
        try {
            int stored = 0;
            Instance next = first;
            for (int number = 1; number <= count && goOn.getAsBoolean(); number++) {
                if (number > 1) {
                    next = maker.make(number);
                }
                association.limitSendPduLength(number % 2 == 0 ? SMALL_SEND_PDU_LENGTH : 0);
                DimseResponse response = association.cstore(next.sopClassUid(), next.sopInstanceUid(),
                        next.transferSyntaxUid(), new ByteArrayInputStream(next.dataset()), 0);
                requireSuccess("C-STORE", response.status(), response.errorComment());
                stored++;
            }
            association.release();
            return stored;
        } catch (IOException | RuntimeException e) {
            association.abort();
            throw e;
        }
    }

    /** Sends study-level C-FINDs by Patient ID, alternating between the given IDs. */
    private static int find(int port, List<String> patientIds, BooleanSupplier goOn) throws IOException {
        String model = UID.StudyRootQueryRetrieveInformationModelFind;
        Association association = connect(port, List.of(model), Set.of());
        try {
            int finds = 0;
            for (int i = 0; i < FINDS && goOn.getAsBoolean(); i++) {
                DimseResponse response = association.cfind(model, 0,
                        studyQuery(patientIds.get(i % patientIds.size())), IDENTIFIER_TRANSFER_SYNTAX,
                        match -> { });
                requireSuccess("C-FIND", response.status(), response.errorComment());
                finds++;
            }
            association.release();
            return finds;
        } catch (IOException | RuntimeException e) {
            association.abort();
            throw e;
        }
    }

    /** Retrieves the study with one C-GET and reads every instance that it sends; returns how many arrived. */
    private static int retrieve(int port, String studyInstanceUid) throws IOException {
        String model = UID.StudyRootQueryRetrieveInformationModelGet;
        Association association = connect(port, List.of(model, UID.CTImageStorage), Set.of(UID.CTImageStorage));
        AtomicInteger received = new AtomicInteger();
        StorageHandler sink = (peer, context, request, dataset) -> {
            drain(dataset);
            received.incrementAndGet();
            return Status.SUCCESS;
        };
        try {
            RetrieveResponse response = association.cget(model, 0, studyRetrieve(studyInstanceUid),
                    IDENTIFIER_TRANSFER_SYNTAX, sink);
            requireSuccess("C-GET", response.status(), response.errorComment());
            association.release();
            return received.get();
        } catch (IOException | RuntimeException e) {
            association.abort();
            throw e;
        }
    }

    /** Connects with one presentation context for each abstract syntax and each warm-up transfer syntax. */
    private static Association connect(int port, List<String> abstractSyntaxes, Set<String> scpRoles)
            throws IOException {
        List<PresentationContextRq> contexts = new ArrayList<>();
        for (String abstractSyntax : abstractSyntaxes) {
            for (String transferSyntax : WarmUpInstances.TRANSFER_SYNTAXES) {
                contexts.add(new PresentationContextRq(2 * contexts.size() + 1, abstractSyntax, List.of(transferSyntax)));
            }
        }
        return AssociationRequestor.connect(RequestorConfig.builder("127.0.0.1", port, CALLING_AE_TITLE, AE_TITLE)
                .presentationContexts(contexts)
                .proposeScpRole(scpRoles)
                .responseTimeoutMs(RESPONSE_TIMEOUT_MS)
                .build());
    }

    private static byte[] studyQuery(String patientId) throws IOException {
        Attributes identifier = new Attributes();
        identifier.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        identifier.setString(Tag.PatientID, VR.LO, patientId);
        identifier.setString(Tag.StudyInstanceUID, VR.UI);
        identifier.setString(Tag.StudyDate, VR.DA);
        identifier.setString(Tag.PatientName, VR.PN);
        return encode(identifier);
    }

    private static byte[] studyRetrieve(String studyInstanceUid) throws IOException {
        Attributes identifier = new Attributes();
        identifier.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        identifier.setString(Tag.StudyInstanceUID, VR.UI, studyInstanceUid);
        return encode(identifier);
    }

    private static byte[] encode(Attributes identifier) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(identifier, TransferSyntax.of(IDENTIFIER_TRANSFER_SYNTAX));
        return bytes.toByteArray();
    }

    private static void requireSuccess(String operation, int status, String errorComment) throws IOException {
        if (status != Status.SUCCESS) {
            throw new IOException(operation + " of the warm-up ended with status 0x" + Integer.toHexString(status)
                    + ": " + errorComment);
        }
    }

    private static void drain(InputStream dataset) {
        try {
            dataset.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new IllegalStateException("Reading a retrieved warm-up instance failed: " + e.getMessage(), e);
        }
    }

    private static int resultOf(Future<Integer> sender) throws Exception {
        try {
            return sender.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            deleteRecursively(directory);
        } catch (IOException e) {
            LOG.warn("Deleting the warm-up directory {} failed ({}); delete it by hand, or the next start "
                    + "tries again.", directory, e.toString());
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> deepestFirst = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : deepestFirst) {
                Files.delete(path);
            }
        }
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
