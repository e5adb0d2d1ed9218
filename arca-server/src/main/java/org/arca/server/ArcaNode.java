package org.arca.server;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import org.arca.server.config.ArcaConfig;
import org.arca.server.dicom.ArchiveStorageHandler;
import org.arca.server.dicom.DicomService;
import org.arca.server.dicom.RetrieveRepairLog;
import org.arca.server.dicom.RetrieveService;
import org.arca.server.dicom.StorageCommitmentReporter;
import org.arca.server.dicom.StorageCommitmentScp;
import org.arca.server.dicom.WriteGate;
import org.arca.server.http.HttpService;
import org.arca.store.DataDirectory;
import org.arca.store.index.Index;
import org.arca.store.ingest.IngestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Arca node: the data directory opened and recovered, the DICOM listener and the
 * HTTP listener. {@link #close()} stops it gracefully: new associations are refused, stores in
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
    private final RetentionScheduler retention;

    private ArcaNode(ArcaConfig config, DataDirectory data, WriteGate writeGate, DicomService dicom,
            StorageCommitmentReporter commitmentReporter, HttpService http, RetentionScheduler retention) {
        this.config = config;
        this.data = data;
        this.writeGate = writeGate;
        this.dicom = dicom;
        this.commitmentReporter = commitmentReporter;
        this.http = http;
        this.retention = retention;
    }

    /**
     * Opens and recovers the data directory, then starts listening.
     *
     * @throws NodeStartException when the data directory or a port cannot be used
     */
    public static ArcaNode start(ArcaConfig config) throws Exception {
        Path dataDirectory = config.dataDirectory().toAbsolutePath();
        DataDirectory data;
        try {
            data = DataDirectory.openForWriting(dataDirectory, Clock.systemUTC());
        } catch (IOException e) {
            throw new NodeStartException("Opening the data directory " + dataDirectory + " failed: " + e.getMessage(),
                    e);
        }
        WriteGate writeGate = new WriteGate();
        DicomService dicom = null;
        StorageCommitmentReporter commitmentReporter = null;
        try {
            IngestService ingest = data.ingestService();
            RetrieveService retrieve = new RetrieveService(data.index(), data.blobs(),
                    data.blobs().root().resolve("tmp"), new RetrieveRepairLog(data.repairs(), Clock.systemUTC()));
            commitmentReporter = new StorageCommitmentReporter(config.dicom(), data.index(), data.blobs(),
                    data.commitments(), COMMITMENT_FIRST_RETRY_DELAY_MS);
            StorageCommitmentScp commitment = new StorageCommitmentScp(data.commitments(), commitmentReporter);
            dicom = startDicom(config, ingest, retrieve, data.index(), commitment, writeGate);
            HttpService http = startHttp(config, writeGate);
            commitmentReporter.resume(data.commitments().readPending());
            LOG.info("Arca is ready: AE title {} on DICOM port {}, HTTP port {}, data in {}.",
                    config.dicom().aeTitle(), dicom.port(), http.port(), dataDirectory);
            RetentionScheduler retention = RetentionScheduler.start(data.retention(), config.retention());
            return new ArcaNode(config, data, writeGate, dicom, commitmentReporter, http, retention);
        } catch (Exception e) {
            if (dicom != null) {
                dicom.close();
            }
            if (commitmentReporter != null) {
                commitmentReporter.close();
            }
            data.close();
            throw e;
        }
    }

    private static DicomService startDicom(ArcaConfig config, IngestService ingest, RetrieveService retrieve,
            Index index, StorageCommitmentScp commitment, WriteGate writeGate) throws Exception {
        try {
            return DicomService.start(config.dicom(), new ArchiveStorageHandler(ingest, writeGate), retrieve,
                    index, commitment);
        } catch (BindException e) {
            throw new NodeStartException("The DICOM port " + config.dicom().bindAddress() + ":" + config.dicom().port()
                    + " is not available (" + e.getMessage() + "); stop the process that uses it, or choose another "
                    + "port with --dicom-port or dicom.port.", e);
        }
    }

    private static HttpService startHttp(ArcaConfig config, WriteGate writeGate) throws Exception {
        try {
            return HttpService.start(config.http().bindAddress(), config.http().port(), writeGate::isOpen);
        } catch (Exception e) {
            throw new NodeStartException("The HTTP port " + config.http().bindAddress() + ":" + config.http().port()
                    + " is not available (" + rootMessage(e) + "); stop the process that uses it, or choose another "
                    + "port with --http-port or http.port.", e);
        }
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
        retention.close();
        closeQuietly(http);
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
