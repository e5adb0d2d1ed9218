package org.arca.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.arca.server.admin.AdminService;
import org.arca.server.admin.AdminToken;
import org.arca.server.admin.AdminTokenException;
import org.arca.server.admin.NodeStatus;
import org.arca.server.admin.ReconcileStarter;
import org.arca.server.config.ArcaConfig;
import org.arca.server.dicom.ArchiveStorageHandler;
import org.arca.server.dicom.DicomService;
import org.arca.server.dicom.RetrieveRepairLog;
import org.arca.server.dicom.RetrieveService;
import org.arca.server.dicom.StorageCommitmentReporter;
import org.arca.server.dicom.StorageCommitmentScp;
import org.arca.server.dicom.WriteGate;
import org.arca.server.http.HttpService;
import org.arca.server.reconcile.ScheduledReconciliation;
import org.arca.server.warmup.WarmUp;
import org.arca.store.DataDirectory;
import org.arca.store.index.Index;
import org.arca.store.ingest.IngestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Arca node: the data directory opened and recovered, the DICOM listener, the
 * HTTP listener and the admin API listener. {@link #close()} stops it gracefully: new associations are refused, stores in
 * flight finish, and the journal is closed after its last force.
 */
public final class ArcaNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArcaNode.class);

    /** How long a stop waits for peers to release their associations once no store is in flight. */
    private static final long RELEASE_GRACE_MS = 2_000;

    /** The wait before the second attempt to deliver a Storage Commitment report on a new association. */
    private static final long COMMITMENT_FIRST_RETRY_DELAY_MS = 2_000;

    private final ArcaConfig config;
    private final DataDirectory data;
    private final WriteGate writeGate;
    private final DicomService dicom;
    private final StorageCommitmentReporter commitmentReporter;
    private final HttpService http;
    private final AdminService admin;
    private final ScheduledReconciliation reconciliation;
    private final RetentionScheduler retention;

    private ArcaNode(ArcaConfig config, DataDirectory data, WriteGate writeGate, DicomService dicom,
            StorageCommitmentReporter commitmentReporter, HttpService http, AdminService admin,
            ScheduledReconciliation reconciliation, RetentionScheduler retention) {
        this.config = config;
        this.data = data;
        this.writeGate = writeGate;
        this.dicom = dicom;
        this.commitmentReporter = commitmentReporter;
        this.http = http;
        this.admin = admin;
        this.reconciliation = reconciliation;
        this.retention = retention;
    }

    /**
     * Opens and recovers the data directory, then starts listening.
     *
     * @throws NodeStartException when the data directory or a port cannot be used
     */
    public static ArcaNode start(ArcaConfig config) throws Exception {
        return start(config, () -> false);
    }

    /**
     * {@link #start(ArcaConfig)}, ending the warm-up early once {@code stopRequested} turns true, as
     * after a SIGTERM during the start.
     *
     * @throws StartCancelledException when {@code stopRequested} turned true before the listeners opened
     */
    public static ArcaNode start(ArcaConfig config, BooleanSupplier stopRequested) throws Exception {
        Instant started = Instant.now();
        Path dataDirectory = config.dataDirectory().toAbsolutePath();
        // The ports are checked first, because the journal recovery and the index check take long on a
        // large archive. A data directory that a node holds gets the lock's message instead.
        if (!DataDirectory.isLockedByNode(dataDirectory)) {
            checkPortsFree(config);
        }
        DataDirectory data;
        try {
            data = DataDirectory.openForWriting(dataDirectory, Clock.systemUTC());
        } catch (IOException e) {
            throw new NodeStartException("Opening the data directory " + dataDirectory + " failed: " + e.getMessage(),
                    e);
        }
        checkAdminTokenBeforeListening(data);
        if (Boolean.TRUE.equals(config.warmUp())) {
            WarmUp.run(config, stopRequested);
        } else {
            WarmUp.deleteLeftover(config);
        }
        if (stopRequested.getAsBoolean()) {
            data.close();
            throw new StartCancelledException("Arca received a stop signal while it started, so it stopped before "
                    + "accepting connections.");
        }
        WriteGate writeGate = new WriteGate();
        DicomService dicom = null;
        StorageCommitmentReporter commitmentReporter = null;
        HttpService http = null;
        AdminService admin = null;
        ScheduledReconciliation reconciliation = null;
        try {
            IngestService ingest = data.ingestService();
            RetrieveService retrieve = new RetrieveService(data.index(), data.blobs(),
                    data.blobs().root().resolve("tmp"), new RetrieveRepairLog(data.repairs(), Clock.systemUTC()));
            commitmentReporter = new StorageCommitmentReporter(config.dicom(), data.index(), data.blobs(),
                    data.commitments(), COMMITMENT_FIRST_RETRY_DELAY_MS);
            StorageCommitmentScp commitment = new StorageCommitmentScp(data.commitments(), commitmentReporter);
            dicom = startDicom(config, ingest, retrieve, data.index(), commitment, writeGate);
            // The reconciliation comes before the admin API, whose POST /reconcile starts it; its first
            // scheduled run is one interval away.
            reconciliation = ScheduledReconciliation.start(data, config.reconcile(), Clock.systemUTC());
            // The admin API (and its endpoint file) comes before HTTP, so that once GET /health responds,
            // arca status and the other admin commands find the node.
            AtomicInteger httpPort = new AtomicInteger();
            admin = startAdmin(config, data, writeGate,
                    new NodeStatus.NodeFacts(config.dicom().aeTitle(), dicom.port(), httpPort::get, started),
                    reconciliation);
            http = startHttp(config, writeGate);
            httpPort.set(http.port());
            commitmentReporter.resume(data.commitments().readPending());
            RetentionScheduler retention = RetentionScheduler.start(data.retention(), config.retention());
            LOG.info("Arca is ready: AE title {} on DICOM port {}, HTTP port {}, admin API port {}, data in {}.",
                    config.dicom().aeTitle(), dicom.port(), http.port(), admin.port(), dataDirectory);
            return new ArcaNode(config, data, writeGate, dicom, commitmentReporter, http, admin, reconciliation,
                    retention);
        } catch (Exception e) {
            if (dicom != null) {
                dicom.close();
            }
            if (http != null) {
                closeQuietly(http);
            }
            if (admin != null) {
                closeQuietly(admin);
            }
            if (reconciliation != null) {
                reconciliation.close();
            }
            if (commitmentReporter != null) {
                commitmentReporter.close();
            }
            data.close();
            throw e;
        }
    }

    /**
     * Creates or checks the admin token before any listener opens, so that a token file open to
     * other users stops the start before DICOM or HTTP accept a connection.
     */
    private static void checkAdminTokenBeforeListening(DataDirectory data) throws Exception {
        try {
            AdminToken.loadOrCreateAndFsync(data.root());
        } catch (AdminTokenException | IOException e) {
            data.close();
            throw new NodeStartException(e.getMessage(), e);
        }
    }

    /**
     * Binds each fixed port once and closes it again, so that a port that another process uses stops
     * the start at once instead of after the data directory's recovery and the warm-up. A port taken
     * between this check and the real bind still fails there, with the same message.
     */
    private static void checkPortsFree(ArcaConfig config) throws NodeStartException {
        checkPortFree("DICOM", config.dicom().bindAddress(), config.dicom().port(), "--dicom-port or dicom.port");
        checkPortFree("HTTP", config.http().bindAddress(), config.http().port(), "--http-port or http.port");
        checkPortFree("admin API", config.admin().bindAddress(), config.admin().port(), "--admin-port or admin.port");
    }

    private static void checkPortFree(String listener, String address, int port, String options)
            throws NodeStartException {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new NodeStartException(portInUse(listener, address + ":" + port, rootMessage(e), options), e);
        }
    }

    /** Returns the message for a listener port that cannot be bound, with the options that change it. */
    private static String portInUse(String listener, String where, String reason, String options) {
        return "The " + listener + " port " + where + " is not available (" + reason + "); stop the process that "
                + "uses it, or choose another port with " + options + ".";
    }

    private static DicomService startDicom(ArcaConfig config, IngestService ingest, RetrieveService retrieve,
            Index index, StorageCommitmentScp commitment, WriteGate writeGate) throws Exception {
        try {
            return DicomService.start(config.dicom(), new ArchiveStorageHandler(ingest, writeGate), retrieve,
                    index, commitment);
        } catch (BindException e) {
            throw new NodeStartException(portInUse("DICOM", config.dicom().bindAddress() + ":" + config.dicom().port(),
                    e.getMessage(), "--dicom-port or dicom.port"), e);
        }
    }

    private static HttpService startHttp(ArcaConfig config, WriteGate writeGate) throws Exception {
        try {
            return HttpService.start(config.http().bindAddress(), config.http().port(), writeGate::isOpen);
        } catch (Exception e) {
            throw new NodeStartException(portInUse("HTTP", config.http().bindAddress() + ":" + config.http().port(),
                    rootMessage(e), "--http-port or http.port"), e);
        }
    }

    private static AdminService startAdmin(ArcaConfig config, DataDirectory data, WriteGate writeGate,
            NodeStatus.NodeFacts facts, ReconcileStarter reconcile) throws Exception {
        try {
            return AdminService.start(config.admin().bindAddress(), config.admin().port(), data, writeGate, facts,
                    reconcile);
        } catch (AdminTokenException e) {
            throw new NodeStartException(e.getMessage(), e);
        } catch (IOException e) {
            String where = config.admin().bindAddress() + ":" + config.admin().port();
            if (hasCause(e, BindException.class)) {
                throw new NodeStartException(portInUse("admin API", where, rootMessage(e),
                        "--admin-port or admin.port"), e);
            }
            throw new NodeStartException("The admin API could not start on " + where + " (" + rootMessage(e)
                    + "); check that the directory " + data.root().resolve("admin") + " is writable by this user.", e);
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    public int dicomPort() {
        return dicom.port();
    }

    public int httpPort() {
        return http.port();
    }

    public int adminPort() {
        return admin.port();
    }

    public boolean acceptsWrites() {
        return writeGate.isOpen();
    }

    /**
     * Stops gracefully: refuse new associations and new stores, let the stores in flight finish and
     * be answered, give peers a moment to release, then abort what is still open and close the journal.
     */
    @Override
    public void close() throws Exception {
        long drainMs = config.shutdownDrainSeconds() * 1000L;
        LOG.info("Arca is stopping: refusing new associations and new stores, waiting up to {} s for stores "
                + "in flight.", config.shutdownDrainSeconds());
        dicom.stopAccepting();
        int unfinished = writeGate.closeAndAwait(drainMs);
        if (unfinished > 0) {
            LOG.warn("{} stores were still in flight after {} s; their senders got no success status.", unfinished,
                    config.shutdownDrainSeconds());
        }
        dicom.awaitAssociations(Math.min(drainMs, RELEASE_GRACE_MS));
        dicom.close();
        commitmentReporter.close();
        reconciliation.close();
        retention.close();
        closeQuietly(http);
        closeQuietly(admin);
        data.close();
        LOG.info("Arca stopped.");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }

}
