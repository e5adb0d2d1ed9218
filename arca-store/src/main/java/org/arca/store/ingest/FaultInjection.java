package org.arca.store.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only fault injection: halts the JVM at a named point of the ingest transaction, as a
 * power cut would stop it there. Enabled by the system property {@code arca.fault}, read once
 * when this class loads; without it every hook does nothing. Never set it in production.
 *
 * <p>Points: {@code halt-after-blob-publish} halts right after the blob is durable and before the
 * journal record is appended, which leaves a blob that no journal record references.
 */
public final class FaultInjection {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);

    /** The system property that names the fault point. */
    public static final String PROPERTY = "arca.fault";
    public static final String HALT_AFTER_BLOB_PUBLISH = "halt-after-blob-publish";

    /** Exit status of a halted JVM, so that a test can tell a halt from a crash. */
    public static final int HALT_STATUS = 99;

    private static final String POINT = System.getProperty(PROPERTY, "");

    static {
        if (!POINT.isEmpty()) {
            LOG.warn("Test-only fault injection is on: {}={}. This process will halt at that point.", PROPERTY, POINT);
        }
    }

    private FaultInjection() {
    }

    /** Halts the JVM when the fault point is {@code halt-after-blob-publish}; otherwise returns. */
    static void afterBlobPublish(String sopInstanceUid) {
        if (POINT.equals(HALT_AFTER_BLOB_PUBLISH)) {
            LOG.warn("Halting the JVM after publishing the blob of SOP Instance {} ({}={}).", sopInstanceUid,
                    PROPERTY, POINT);
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
