package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.arca.dicom.pdu.Pdv;

/**
 * The data PDVs of one request, passed from the association's reader to the service thread. At
 * most {@code capacity} PDVs wait in memory; the reader blocks until the service reads on, so a
 * data set of any size passes with a small heap.
 */
final class QueuedPdvChannel implements PdvChannel {
    private static final Pdv END = new Pdv(0, false, true, new byte[0]);

    private final PdvChannel association;
    private final BlockingQueue<Pdv> queue = new LinkedBlockingQueue<>();
    private final Semaphore free;
    private volatile boolean abandoned;
    private boolean endTaken;

    QueuedPdvChannel(PdvChannel association, int capacity) {
        this.association = association;
        this.free = new Semaphore(capacity);
    }

    /** Queues a PDV, waiting for room; once the service abandoned the data set, it is discarded. */
    void put(Pdv pdv) throws IOException {
        try {
            // abandon() releases enough permits that this never blocks after it.
            free.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while passing a PDV of association " + name()
                    + " to its service");
        }
        if (!abandoned) {
            queue.add(pdv);
        }
    }

    /** Marks that no more PDVs come because the association ended; the service then reads null. */
    void end() {
        queue.add(END);
    }

    /** Called by the service thread when it is done with the data set: the reader no longer waits for room. */
    void abandon() {
        abandoned = true;
        queue.clear();
        free.release(Integer.MAX_VALUE / 2);
    }

    @Override
    public Pdv nextPdv() throws IOException {
        if (endTaken) {
            return null;
        }
        Pdv pdv;
        try {
            pdv = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while reading the data set on association " + name());
        }
        if (pdv == END) {
            endTaken = true;
            return null;
        }
        free.release();
        return pdv;
    }

    @Override
    public void writePdv(int contextId, boolean command, boolean last, byte[] data, int offset, int length)
            throws IOException {
        association.writePdv(contextId, command, last, data, offset, length);
    }

    @Override
    public int maxPdvDataLength() {
        return association.maxPdvDataLength();
    }

    @Override
    public String name() {
        return association.name();
    }
}
