package org.arca.dicom.dimse;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set when the peer sends a C-CANCEL-RQ for a running request (PS3.7 9.3.2.3, 9.3.3.3, 9.3.4.3).
 * A long-running service checks it between responses and ends with status Cancel (0xFE00).
 * Thread-safe: the association's reader sets it while the service thread reads it.
 */
public final class CancelSignal {

    private final AtomicBoolean requested = new AtomicBoolean();

    public void request() {
        requested.set(true);
    }

    public boolean isRequested() {
        return requested.get();
    }
}
