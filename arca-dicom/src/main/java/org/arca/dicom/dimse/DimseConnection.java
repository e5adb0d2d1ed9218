package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationAbortedException;
import org.arca.dicom.association.PresentationContext;
import org.arca.dicom.pdu.Pdv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DIMSE layer of one association. One reader thread reads every incoming message and
 * routes it. A C-STORE-RQ or C-ECHO-RQ that arrives while no other request runs is served on the
 * reader thread itself, which reads its data set straight from the association. Nothing can
 * cancel it, and nothing else needs reading until its response is sent. Any other request goes to the
 * association's single service thread, with its data set streamed PDV by PDV as it arrives. A
 * C-CANCEL-RQ sets the {@link CancelSignal} of the request whose Message ID it names. A response
 * goes to the SCU call waiting for it. Requests run one at a time, because this toolkit
 * negotiates no asynchronous operations window. Each message is sent whole under one lock, so
 * the PDVs of two messages never interleave.
 */
public final class DimseConnection {
    private static final Logger LOG = LoggerFactory.getLogger(DimseConnection.class);

    /**
     * The largest response data set read into memory, in bytes. C-FIND identifiers and Failed
     * SOP Instance UID lists are far smaller, and a larger one aborts the association.
     */
    public static final int MAX_RESPONSE_DATASET_LENGTH = 16 << 20;

    /** The data PDVs of a request buffered between the reader and the service thread. */
    static final int DATASET_QUEUE_CAPACITY = 4;

    /** How long the reader waits, once the association ended, for the running service to return. */
    private static final long SERVICE_STOP_TIMEOUT_MS = 30000;

    private final Association association;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Map<Integer, ResponseWaiter> waiters = new ConcurrentHashMap<>();
    private final Map<Integer, CancelSignal> cancelSignals = new ConcurrentHashMap<>();
    private final ExecutorService serviceThread;

    /** The number of requests handed to the service thread and not yet finished. Only the reader increments it. */
    private final AtomicInteger serviceRequests = new AtomicInteger();
    private volatile DimseServiceRegistry services = new DimseServiceRegistry();
    private volatile StorageHandler retrieveStorage;
    private volatile boolean reading;
    private volatile boolean ended;

    private DimseConnection(Association association) {
        this.association = association;
        this.serviceThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "dimse-service-" + association.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Creates the DIMSE layer of an association. {@link Association#dimse()} calls it once per association. */
    public static DimseConnection create(Association association) {
        return new DimseConnection(association);
    }

    Association association() {
        return association;
    }

    /** Returns the services for requests the peer sends on this association. */
    public DimseServiceRegistry services() {
        return services;
    }

    /** Returns true while a reader reads this association's messages. */
    public boolean isReading() {
        return reading;
    }

    /** Starts and returns a daemon thread that reads the messages of a requestor's established association. */
    public Thread startReaderThread() {
        reading = true;
        Thread reader = new Thread(this::readOnOwnThread, "dimse-reader-" + association.name());
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Reads the messages of an acceptor's association on the calling thread, serving requests with {@code registry}. */
    void serve(DimseServiceRegistry registry) throws IOException {
        services = registry;
        readMessages();
    }

    private void readOnOwnThread() {
        try {
            readMessages();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Association {}: reading DIMSE messages failed, so the association was aborted: {}",
                    association.name(), e.toString(), e);
        }
    }

    // ---- reading and routing ----

    private void readMessages() throws IOException {
        reading = true;
        try {
            ReceivedCommand received;
            while ((received = MessageReader.readCommand(association)) != null) {
                route(received);
            }
        } catch (IOException | RuntimeException e) {
            association.abort();
            throw e;
        } finally {
            end();
        }
    }

    private void route(ReceivedCommand received) throws IOException {
        CommandSet command = received.command();
        PresentationContext context = association.acceptedContext(received.contextId());
        if (context == null) {
            throw new DimseProtocolException("Received " + CommandField.name(command.commandField())
                    + " on presentation context " + received.contextId() + ", which was not accepted");
        }
        LOG.debug("{}: received {}", association.name(), command);

        if (CommandField.isResponse(command.commandField())) {
            deliverResponse(context, command);
        } else if (command.commandField() == CommandField.C_CANCEL_RQ) {
            skipDataset(context, command);
            cancel(command);
        } else {
            submitRequest(context, command);
        }
    }

    private void deliverResponse(PresentationContext context, CommandSet command) throws IOException {
        byte[] dataset = command.hasDataSet() ? readResponseDataset(context.id()) : null;
        int respondedTo = command.getInt(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, -1);
        ResponseWaiter waiter = waiters.get(respondedTo);
        if (waiter == null) {
            LOG.warn("{}: ignored {} because no request with Message ID {} is outstanding", association.name(),
                    command, respondedTo);
            return;
        }
        waiter.offer(new ReceivedMessage(context, command, dataset));
    }

    private byte[] readResponseDataset(int contextId) throws IOException {
        byte[] dataset = new PDataInputStream(association, contextId).readNBytes(MAX_RESPONSE_DATASET_LENGTH + 1);
        if (dataset.length > MAX_RESPONSE_DATASET_LENGTH) {
            throw new DimseProtocolException("A response data set on presentation context " + contextId
                    + " exceeds the limit of " + MAX_RESPONSE_DATASET_LENGTH + " bytes");
        }
        return dataset;
    }

    private void skipDataset(PresentationContext context, CommandSet command) throws IOException {
        if (command.hasDataSet()) {
            new PDataInputStream(association, context.id()).drain();
        }
    }

    private void cancel(CommandSet command) {
        int target = command.getInt(CommandTag.MESSAGE_ID_BEING_RESPONDED_TO, -1);
        CancelSignal signal = cancelSignals.get(target);
        if (signal == null) {
            LOG.debug("{}: ignored a C-CANCEL-RQ for Message ID {} because no such request is running",
                    association.name(), target);
            return;
        }
        LOG.info("Association {}: received a C-CANCEL-RQ for the request with Message ID {}.", association.name(),
                target);
        signal.request();
    }

    private void submitRequest(PresentationContext context, CommandSet command) throws IOException {
        if (servesOnReader(command)) {
            serveOnReader(context, command);
            return;
        }
        QueuedPdvChannel dataset = command.hasDataSet()
                ? new QueuedPdvChannel(association, DATASET_QUEUE_CAPACITY) : null;
        CancelSignal cancel = new CancelSignal();
        cancelSignals.put(command.messageId(), cancel);
        serviceRequests.incrementAndGet();
        try {
            serviceThread.execute(() -> runRequest(context, command, dataset, cancel));
        } catch (RejectedExecutionException e) {
            serviceRequests.decrementAndGet();
            throw new AssociationAbortedException("Association " + association.name() + " cannot serve "
                    + CommandField.name(command.commandField()) + " message " + command.messageId()
                    + " because its service thread has stopped");
        }
        if (dataset != null) {
            // NOTE: a peer that sends a request while another still runs exceeds the operations window
            // of 1. Once 4 PDVs of its data set wait here, the reader stops reading (responses and
            // C-CANCEL-RQs included) until the running request ends.
            forwardDataset(context.id(), dataset);
        }
    }

    /**
     * Returns true for a request the reader serves itself: a C-STORE-RQ or C-ECHO-RQ while the
     * service thread has nothing to do. Neither can be cancelled or starts sub-operations on this
     * association, so the reader has nothing else to read until its response is sent. Serving it here
     * saves handing the request, and each PDV of its data set, to the service thread.
     */
    private boolean servesOnReader(CommandSet command) {
        int field = command.commandField();
        return (field == CommandField.C_STORE_RQ || field == CommandField.C_ECHO_RQ) && serviceRequests.get() == 0;
    }

    /** Serves one request on the reader thread, reading its data set straight from the association. */
    private void serveOnReader(PresentationContext context, CommandSet command) {
        PDataInputStream stream = command.hasDataSet() ? new PDataInputStream(association, context.id()) : null;
        association.beginOperation();
        try {
            runAndAbortOnFailure(context, command, stream, new CancelSignal());
        } finally {
            association.endOperation();
        }
    }

    /** Passes the data PDVs of one request to its service, up to the PDV with the last flag. */
    private void forwardDataset(int contextId, QueuedPdvChannel dataset) throws IOException {
        boolean complete = false;
        try {
            while (!complete) {
                Pdv pdv = association.nextPdvOfMessage();
                if (pdv == null) {
                    return;
                }
                if (pdv.command() || pdv.contextId() != contextId) {
                    throw new DimseProtocolException("Expected a data PDV on presentation context " + contextId
                            + " but received " + pdv);
                }
                dataset.put(pdv);
                complete = pdv.last();
            }
        } finally {
            if (!complete) {
                dataset.end();
            }
        }
    }

    /** Stops routing: waiting SCU calls fail, and the service thread finishes its request. */
    private void end() {
        ended = true;
        reading = false;
        waiters.values().forEach(ResponseWaiter::associationEnded);
        serviceThread.shutdown();
        try {
            if (!serviceThread.awaitTermination(SERVICE_STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Association {} ended, but its DIMSE service did not return within {} ms.",
                        association.name(), SERVICE_STOP_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the service thread ----

    private void runRequest(PresentationContext context, CommandSet command, QueuedPdvChannel dataset,
            CancelSignal cancel) {
        association.beginOperation();
        try {
            PDataInputStream stream = dataset == null ? null : new PDataInputStream(dataset, context.id());
            runAndAbortOnFailure(context, command, stream, cancel);
        } finally {
            if (dataset != null) {
                dataset.abandon();
            }
            cancelSignals.remove(command.messageId(), cancel);
            serviceRequests.decrementAndGet();
            association.endOperation();
        }
    }

    /** Runs one request, and aborts the association if its response cannot be sent in full. */
    private void runAndAbortOnFailure(PresentationContext context, CommandSet command, PDataInputStream stream,
            CancelSignal cancel) {
        try {
            DimseDispatcher.dispatch(this, association, context, command, stream, cancel);
        } catch (AssociationAbortedException e) {
            // The peer released or aborted before the service sent its whole response. A peer may do so once
            // it has the part it needs: dcmtk's DcmSCU (getscu) reads no data set of a C-GET-RSP.
            LOG.warn("Association {}: {} message {} could not be answered in full because the association"
                    + " ended first: {}", association.name(), CommandField.name(command.commandField()),
                    command.messageId(), e.getMessage());
            association.abort();
        } catch (IOException | RuntimeException e) {
            if (!association.isEstablished()) {
                // Already aborted while the service read its data set (a stalled peer, say), and logged then.
                LOG.info("Association {}: {} message {} ended without a response because the association was "
                        + "aborted: {}", association.name(), CommandField.name(command.commandField()),
                        command.messageId(), e.getMessage());
                return;
            }
            LOG.warn("Association {}: {} message {} failed, so the association is aborted: {}", association.name(),
                    CommandField.name(command.commandField()), command.messageId(), e.toString(), e);
            association.abort();
        }
    }

    /** Returns the service for a request: the running C-GET's storage handler for a C-STORE-RQ, else the registry's. */
    DimseService serviceFor(int commandField, String sopClassUid) {
        StorageHandler storage = retrieveStorage;
        if (commandField == CommandField.C_STORE_RQ && storage != null) {
            return new CStoreScp(storage);
        }
        return services.lookup(commandField, sopClassUid);
    }

    // ---- sending, and waiting for responses ----

    /** Sends a command and, if {@code dataset} is not null, its data set, as one uninterrupted message. */
    void send(int contextId, CommandSet command, InputStream dataset) throws IOException {
        sendLock.lock();
        try {
            MessageReader.writeCommand(association, contextId, command);
            if (dataset != null) {
                try (PDataOutputStream out = new PDataOutputStream(association, contextId)) {
                    dataset.transferTo(out);
                }
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Registers a waiter for the responses to {@code messageId}. Register it before sending the
     * request, so that no response arrives unclaimed.
     */
    ResponseWaiter expectResponses(int messageId) throws IOException {
        ResponseWaiter waiter = new ResponseWaiter(association, messageId, () -> waiters.remove(messageId));
        if (waiters.putIfAbsent(messageId, waiter) != null) {
            throw new IllegalStateException("Association " + association.name()
                    + " already waits for responses to Message ID " + messageId);
        }
        if (ended || !reading) {
            waiters.remove(messageId);
            throw new AssociationAbortedException("Association " + association.name()
                    + " reads no more DIMSE messages (state " + association.state() + "), so Message ID "
                    + messageId + " cannot be sent");
        }
        return waiter;
    }

    /** Sends C-STORE-RQs that arrive during a C-GET to {@code storage}, or stops doing so when null. */
    void setRetrieveStorage(StorageHandler storage) {
        if (storage != null && retrieveStorage != null) {
            throw new IllegalStateException("Association " + association.name()
                    + " already runs a C-GET; this toolkit runs one operation at a time");
        }
        retrieveStorage = storage;
    }
}
