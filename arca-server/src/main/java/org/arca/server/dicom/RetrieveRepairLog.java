package org.arca.server.dicom;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.arca.store.index.InstanceVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records blobs that a retrieve found missing or not matching their SHA-256, so that they can be
 * repaired from a verified copy. Thread-safe.
 */
// TODO: journal a repair request and repair from a replica or backup; for now this logs and counts.
public final class RetrieveRepairLog {

    private static final Logger LOG = LoggerFactory.getLogger(RetrieveRepairLog.class);

    private final AtomicLong recorded = new AtomicLong();

    void record(InstanceVersion version, Path path, String problem) {
        long count = recorded.incrementAndGet();
        LOG.error("SOP Instance {} version {} needs repair and was not sent: blob file {}: {}. "
                        + "This is the {}. blob a retrieve has found damaged since the node started.",
                version.sopInstanceUid(), version.version(), path, problem, count);
    }

    /** Returns how many damaged or missing blobs retrieves have found since the node started. */
    public long count() {
        return recorded.get();
    }
}
