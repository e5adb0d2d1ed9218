package org.arca.server;

import java.nio.file.Path;
import java.time.Clock;
import org.arca.server.config.ArcaConfig;
import org.arca.server.dicom.ArchiveStorageHandler;
import org.arca.server.dicom.DicomService;
import org.arca.server.dicom.WriteGate;
import org.arca.server.http.HttpService;
import org.arca.store.DataDirectory;
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

    private final ArcaConfig config;
    private final DataDirectory data;
    private final WriteGate writeGate;
    private final DicomService dicom;
    private final HttpService http;

    private ArcaNode(ArcaConfig config, DataDirectory data, WriteGate writeGate, DicomService dicom, HttpService http) {
        this.config = config;
        this.data = data;
        this.writeGate = writeGate;
        this.dicom = dicom;
        this.http = http;
    }

    /** Opens and recovers the data directory, then starts listening. */
    public static ArcaNode start(ArcaConfig config) throws Exception {
        Path dataDirectory = config.dataDirectory().toAbsolutePath();
        DataDirectory data = DataDirectory.openForWriting(dataDirectory, Clock.systemUTC());
        WriteGate writeGate = new WriteGate();
        DicomService dicom = null;
        try {
            IngestService ingest = data.ingestService();
            dicom = DicomService.start(config.dicom(), new ArchiveStorageHandler(ingest, writeGate),
                    data.index());
            HttpService http = HttpService.start(config.http().bindAddress(), config.http().port(),
                    writeGate::isOpen);
            LOG.info("Arca is ready: AE title {} on DICOM port {}, HTTP port {}, data in {}.",
                    config.dicom().aeTitle(), dicom.port(), http.port(), dataDirectory);
            return new ArcaNode(config, data, writeGate, dicom, http);
        } catch (Exception e) {
            if (dicom != null) {
                dicom.close();
            }
            data.close();
            throw e;
        }
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

    /** Stops gracefully: refuse new associations, finish stores in flight, close the journal. */
    @Override
    public void close() throws Exception {
        long drainMs = config.shutdownDrainSeconds() * 1000L;
        LOG.info("Arca is stopping: refusing new associations and waiting up to {} s for open ones.",
                config.shutdownDrainSeconds());
        dicom.stopAccepting();
        dicom.awaitAssociations(drainMs);
        int unfinished = writeGate.closeAndAwait(drainMs);
        if (unfinished > 0) {
            LOG.warn("{} stores were still in flight after {} s; they were not acknowledged.", unfinished,
                    config.shutdownDrainSeconds());
        }
        dicom.close();
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
