package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationAbortedException;

/** The responses to one outstanding request, handed over by the reader to the waiting SCU call. */
final class ResponseWaiter implements AutoCloseable {
    private static final ReceivedMessage ENDED = new ReceivedMessage(null, null, null);

    private final Association association;
    private final int messageId;
    private final Runnable unregister;
    private final BlockingQueue<ReceivedMessage> queue = new LinkedBlockingQueue<>();

    ResponseWaiter(Association association, int messageId, Runnable unregister) {
        this.association = association;
        this.messageId = messageId;
        this.unregister = unregister;
    }

    int messageId() {
        return messageId;
    }

    void offer(ReceivedMessage message) {
        queue.add(message);
    }

    void associationEnded() {
        queue.add(ENDED);
    }

    /**
     * Returns the next response, waiting at most the association's response timeout.
     *
     * @throws AssociationAbortedException if the association ended, or if no response came in
     *     time, in which case the association is aborted, since the peer's state is unknown
     */
    ReceivedMessage next() throws IOException {
        long timeoutMs = association.responseTimeoutMs();
        ReceivedMessage message;
        try {
            message = timeoutMs == 0 ? queue.take() : queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the response to Message ID "
                    + messageId + " on association " + association.name());
        }
        if (message == null) {
            association.abort();
            throw new AssociationAbortedException("Association " + association.name() + " got no response to"
                    + " Message ID " + messageId + " within " + timeoutMs + " ms, so it was aborted");
        }
        if (message == ENDED) {
            queue.add(ENDED);
            throw new AssociationAbortedException("Association " + association.name()
                    + " ended before the final response to Message ID " + messageId);
        }
        return message;
    }

    @Override
    public void close() {
        unregister.run();
    }
}
