package org.arca.dicom.association;

import org.arca.dicom.uid.UID;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.arca.dicom.dimse.CFindOperation;
import org.arca.dicom.dimse.DimseConnection;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.DimseScu;
import org.arca.dicom.dimse.DimseServiceRegistry;
import org.arca.dicom.dimse.PdvChannel;
import org.arca.dicom.dimse.RetrieveResponse;
import org.arca.dicom.dimse.StorageHandler;
import org.arca.dicom.pdu.AAbort;
import org.arca.dicom.pdu.AAssociateAc;
import org.arca.dicom.pdu.AAssociateRj;
import org.arca.dicom.pdu.AAssociateRq;
import org.arca.dicom.pdu.AReleaseRp;
import org.arca.dicom.pdu.AReleaseRq;
import org.arca.dicom.pdu.PDataTf;
import org.arca.dicom.pdu.Pdu;
import org.arca.dicom.pdu.PduException;
import org.arca.dicom.pdu.PduReader;
import org.arca.dicom.pdu.PduWriter;
import org.arca.dicom.pdu.Pdv;
import org.arca.dicom.pdu.PresentationContextAc;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.pdu.RoleSelection;
import org.arca.dicom.pdu.UserIdentityRq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DICOM association over one TCP connection, as requestor or acceptor, driven by the PS3.8
 * state machine in {@link State}. Received PDUs are read on one thread: the acceptor's
 * association thread, or on the requestor side the calling thread during negotiation and then
 * the reader thread of its {@link DimseConnection}. DIMSE calls such as {@link #cstore} and
 * {@link #abort()} may come from any thread, one DIMSE operation at a time.
 */
public final class Association implements PdvChannel {
    private static final Logger LOG = LoggerFactory.getLogger(Association.class);
    private static final AtomicInteger SERIAL = new AtomicInteger();
    /** The smallest send PDU limit: a PDU header and a PDV header leave room for data. */
    private static final int MIN_SEND_PDU_LENGTH = 1024;

    private final Socket socket;
    private final boolean requestor;
    private final PduReader reader;
    private final PduWriter writer;
    private final ArtimTimer artim;
    private final long artimTimeoutMs;
    private final int serial = SERIAL.incrementAndGet();
    private final Deque<Pdv> pendingPdvs = new ArrayDeque<>();
    private final AtomicInteger messageIds = new AtomicInteger();
    private final Map<Integer, PresentationContext> acceptedContexts = new LinkedHashMap<>();
    private final Map<String, RoleSelection> acceptedRoles = new LinkedHashMap<>();
    private final CountDownLatch transportClosed = new CountDownLatch(1);

    private AssociationNegotiator negotiator;
    private AAssociateRq pendingRequest;
    private boolean overLimit;
    private int ourMaxPduLength;
    private volatile State state = State.STA1;
    private volatile String callingAeTitle = "?";
    private volatile String calledAeTitle = "?";
    private UserIdentityRq userIdentity;
    private AAssociateRj rejection;
    private int peerMaxPduLength;
    /** The largest P-DATA-TF PDU this side sends, below the peer's maximum, or 0 for no limit of our own. */
    private volatile int sendPduLengthLimit;
    private boolean endLogged;
    /** Final responses sent on this association, by request name: {responses, failures}. Guarded by {@code this}. */
    private final java.util.TreeMap<String, int[]> finalResponses = new java.util.TreeMap<>();
    private boolean operationInProgress;
    private boolean abortWhenOperationEnds;
    private volatile long responseTimeoutMs;
    private volatile boolean readerThreadStarted;
    private volatile Thread readingThread;
    private long idleTimeoutMs;
    private long operationEndedNanos;
    private boolean operationEnded;
    private DimseConnection dimse;

    private Association(Socket socket, boolean requestor, int maxPduLengthReceive, long artimTimeoutMs)
            throws IOException {
        this.socket = socket;
        this.requestor = requestor;
        this.ourMaxPduLength = maxPduLengthReceive;
        this.reader = new PduReader(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024),
                maxPduLengthReceive);
        this.writer = new PduWriter(new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        this.artimTimeoutMs = artimTimeoutMs;
        this.artim = new ArtimTimer(artimTimeoutMs, this::onArtimExpired);
    }

    static Association forAcceptor(Socket socket, AcceptorConfig config, boolean overLimit) throws IOException {
        Association association = new Association(socket, false, config.maxPduLengthReceive(),
                config.artimTimeoutMs());
        // An SCU call from an acceptor-side service waits as long as the peer may stay silent.
        association.responseTimeoutMs = config.idleTimeoutMs();
        association.negotiator = new AssociationNegotiator(config);
        association.overLimit = overLimit;
        return association;
    }

    static Association forRequestor(Socket socket, RequestorConfig config) throws IOException {
        return new Association(socket, true, config.maxPduLengthReceive(), config.artimTimeoutMs());
    }

    // ---- public API ----

    public String callingAeTitle() {
        return callingAeTitle;
    }

    public String calledAeTitle() {
        return calledAeTitle;
    }

    public SocketAddress remoteAddress() {
        return socket.getRemoteSocketAddress();
    }

    /** Returns "CALLING->CALLED(serial)", the prefix of every log line about this association. */
    @Override
    public String name() {
        return callingAeTitle + "->" + calledAeTitle + "(" + serial + ")";
    }

    public State state() {
        return state;
    }

    /** Returns whether the association is established (Sta6) or awaits the peer's release reply (Sta7). */
    public boolean isEstablished() {
        State current = state;
        return current == State.STA6 || current == State.STA7;
    }

    public boolean isRequestor() {
        return requestor;
    }

    /** Returns the accepted presentation contexts in the order they were proposed. */
    public synchronized Collection<PresentationContext> acceptedContexts() {
        return Collections.unmodifiableCollection(List.copyOf(acceptedContexts.values()));
    }

    /** Returns the accepted presentation context with this ID, or null. */
    public synchronized PresentationContext acceptedContext(int contextId) {
        return acceptedContexts.get(contextId);
    }

    /** Returns the first accepted context for this abstract and transfer syntax, or null. */
    public synchronized PresentationContext acceptedContext(String abstractSyntax, String transferSyntax) {
        // A loop, not a stream: a C-GET or C-MOVE looks up a context twice per instance it sends.
        for (PresentationContext context : acceptedContexts.values()) {
            if (context.abstractSyntax().equals(abstractSyntax)
                    && (transferSyntax == null || context.transferSyntax().equals(transferSyntax))) {
                return context;
            }
        }
        return null;
    }

    /** Returns the user identity the requestor sent, or null. */
    public synchronized UserIdentityRq userIdentity() {
        return userIdentity;
    }

    /** Returns the peer's maximum P-DATA-TF length in bytes, or our default when the peer has no maximum. */
    public synchronized int peerMaxPduLength() {
        return peerMaxPduLength;
    }

    /** Returns the next Message ID (1 to 65535) for a request on this association. */
    public int nextMessageId() {
        return messageIds.updateAndGet(id -> id >= 0xFFFF ? 1 : id + 1);
    }

    /** Returns how long an SCU call waits for each response, in milliseconds; 0 waits forever. */
    public long responseTimeoutMs() {
        return responseTimeoutMs;
    }

    /**
     * Returns the DIMSE layer of this association: its message reader, service thread and
     * outstanding requests. It exists from the first call on.
     */
    public synchronized DimseConnection dimse() {
        if (dimse == null) {
            dimse = DimseConnection.create(this);
        }
        return dimse;
    }

    /**
     * Returns the services that answer requests the peer sends on this association. On the
     * requestor side the registry belongs to this association alone: register an
     * N-EVENT-REPORT service here to receive Storage Commitment results. On the acceptor side
     * it is the server's registry, shared by all its associations.
     */
    public DimseServiceRegistry services() {
        return dimse().services();
    }

    // ---- SCP/SCU role selection (PS3.7 D.3.3.4) ----

    /**
     * Returns the SCP/SCU role selection item of the A-ASSOCIATE-AC for this SOP class, or null
     * when the acceptor returned none and the default roles apply: the requestor is SCU, the
     * acceptor SCP. The roles in the item are those of the requestor.
     */
    public synchronized RoleSelection acceptedRole(String sopClassUid) {
        return acceptedRoles.get(sopClassUid);
    }

    /**
     * Returns true if this side may send requests of this SOP class: the requestor unless the
     * role selection took its SCU role away, the acceptor only if the role selection gave the
     * requestor the SCP role (as a C-GET SCP needs for its C-STORE sub-operations).
     */
    public synchronized boolean mayInvoke(String sopClassUid) {
        RoleSelection role = acceptedRoles.get(sopClassUid);
        if (requestor) {
            return role == null || role.scuRole();
        }
        return role != null && role.scpRole();
    }

    /**
     * Returns the accepted presentation contexts on which this side may send requests, in the
     * order they were proposed. A C-GET SCP picks the contexts of its C-STORE sub-operations here.
     */
    public synchronized List<PresentationContext> invocableContexts() {
        return acceptedContexts.values().stream().filter(context -> mayInvoke(context.abstractSyntax())).toList();
    }

    /** Returns the first accepted context on which this side may send requests of this SOP class, or null. */
    public synchronized PresentationContext invocableContext(String sopClassUid, String transferSyntax) {
        // Whether this side may invoke depends on the SOP class only, so one check covers every context of it.
        return mayInvoke(sopClassUid) ? acceptedContext(sopClassUid, transferSyntax) : null;
    }

    // ---- DIMSE operations as SCU ----

    /** Sends a C-ECHO-RQ on the Verification presentation context and returns the response status. */
    public int cecho() throws IOException {
        return DimseScu.cecho(this, requireContext(UID.Verification, null));
    }

    /**
     * Sends a C-STORE-RQ and streams {@code dataset} (encoded in {@code transferSyntaxUid}, without
     * the Part 10 file meta information) in P-DATA-TF PDUs within the peer's maximum length.
     * An acceptor may call this from inside a running service, such as a C-GET SCP, if the
     * requestor accepted the SCP role for the SOP class (see {@link #mayInvoke}).
     */
    public DimseResponse cstore(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
            InputStream dataset, int priority) throws IOException {
        return DimseScu.cstore(this, requireContext(sopClassUid, transferSyntaxUid), sopInstanceUid, dataset,
                priority);
    }

    /**
     * Sends a C-STORE-RQ as a sub-operation of a C-MOVE, with the Move Originator Application
     * Entity Title and Message ID of the C-MOVE-RQ that caused it.
     */
    public DimseResponse cstore(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
            InputStream dataset, int priority, String moveOriginatorAeTitle, int moveOriginatorMessageId)
            throws IOException {
        return DimseScu.cstore(this, requireContext(sopClassUid, transferSyntaxUid), sopInstanceUid, dataset,
                priority, moveOriginatorAeTitle, moveOriginatorMessageId);
    }

    /**
     * Sends a C-FIND-RQ with {@code identifier} (encoded in {@code transferSyntaxUid}, or in the
     * first accepted one if null) and returns the running query: read its matches with
     * {@link CFindOperation#nextMatch()} and stop it with {@link CFindOperation#cancel()}.
     */
    public CFindOperation cfind(String sopClassUid, int priority, byte[] identifier, String transferSyntaxUid)
            throws IOException {
        return DimseScu.cfind(this, requireContext(sopClassUid, transferSyntaxUid), priority, identifier);
    }

    /**
     * Sends a C-FIND-RQ, passes the identifier of each pending response to {@code onMatch} and
     * returns the final response.
     */
    public DimseResponse cfind(String sopClassUid, int priority, byte[] identifier, String transferSyntaxUid,
            Consumer<byte[]> onMatch) throws IOException {
        CFindOperation query = cfind(sopClassUid, priority, identifier, transferSyntaxUid);
        byte[] match;
        while ((match = query.nextMatch()) != null) {
            onMatch.accept(match);
        }
        return query.finalResponse();
    }

    /**
     * Sends a C-MOVE-RQ asking the peer to store the matches of {@code identifier} at the AE
     * {@code moveDestination}, waits for the final response and returns it with the
     * sub-operation counts.
     */
    public RetrieveResponse cmove(String sopClassUid, int priority, String moveDestination, byte[] identifier,
            String transferSyntaxUid) throws IOException {
        return DimseScu.cmove(this, requireContext(sopClassUid, transferSyntaxUid), priority, moveDestination,
                identifier);
    }

    /**
     * Sends a C-GET-RQ and passes each C-STORE-RQ sub-operation the peer sends back on this
     * association to {@code storage}, until the final C-GET-RSP. The requestor must have
     * proposed the SCP role for the storage SOP classes it wants to receive (see
     * {@link RequestorConfig.Builder#proposeScpRole}).
     */
    public RetrieveResponse cget(String sopClassUid, int priority, byte[] identifier, String transferSyntaxUid,
            StorageHandler storage) throws IOException {
        return DimseScu.cget(this, requireContext(sopClassUid, transferSyntaxUid), priority, identifier, storage);
    }

    /**
     * Sends an N-ACTION-RQ with the Action Information {@code dataset} (null for none) and
     * returns the N-ACTION-RSP status.
     */
    public DimseResponse naction(String sopClassUid, String sopInstanceUid, int actionTypeId, byte[] dataset,
            String transferSyntaxUid) throws IOException {
        return DimseScu.naction(this, requireContext(sopClassUid, transferSyntaxUid), sopInstanceUid,
                actionTypeId, dataset);
    }

    /**
     * Sends an N-EVENT-REPORT-RQ with the Event Information {@code dataset} (null for none) and
     * returns the N-EVENT-REPORT-RSP status. The SCP of a SOP class such as Storage Commitment
     * sends it, so an acceptor needs no role selection for it.
     */
    public DimseResponse neventReport(String sopClassUid, String sopInstanceUid, int eventTypeId, byte[] dataset,
            String transferSyntaxUid) throws IOException {
        PresentationContext context = acceptedContext(sopClassUid, transferSyntaxUid);
        if (context == null) {
            throw new IllegalArgumentException(missingContextMessage(sopClassUid, transferSyntaxUid));
        }
        return DimseScu.neventReport(this, context, sopInstanceUid, eventTypeId, dataset);
    }

    /** Releases the association (requestor side) and waits for the A-RELEASE-RP. */
    public void release() throws IOException {
        synchronized (this) {
            state.onLocalRelease(this);
        }
        if (readerThreadStarted) {
            awaitReleaseByReader();
            return;
        }
        socket.setSoTimeout((int) artimTimeoutMs);
        while (state != State.STA1) {
            readAndDispatch();
        }
    }

    /** Waits until the reader thread saw the A-RELEASE-RP and closed the connection. */
    private void awaitReleaseByReader() throws IOException {
        try {
            if (!transportClosed.await(artimTimeoutMs, TimeUnit.MILLISECONDS)) {
                abort();
                throw new AssociationAbortedException("Association " + name() + " to " + remoteAddress()
                        + " got no A-RELEASE-RP within " + artimTimeoutMs + " ms, so it was aborted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new AssociationAbortedException("Association " + name()
                    + " was aborted because the thread waiting for the A-RELEASE-RP was interrupted");
        }
    }

    /**
     * Waits until the transport connection of this association is closed, after a release or an
     * abort by either side, and returns false if that takes longer than {@code timeoutMs}.
     */
    public boolean awaitClosed(long timeoutMs) throws InterruptedException {
        return transportClosed.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Sends an A-ABORT and ends the association. Safe from any thread. */
    public void abort() {
        synchronized (this) {
            state.onLocalAbort(this);
            if (requestor) {
                // The requestor has no reading thread to wait for the peer's close, so it closes now.
                closeTransport();
            }
        }
    }

    /** Returns an accepted context on which this side may send requests of the SOP class. */
    private PresentationContext requireContext(String abstractSyntax, String transferSyntax) {
        PresentationContext context = acceptedContext(abstractSyntax, transferSyntax);
        if (context == null) {
            throw new IllegalArgumentException(missingContextMessage(abstractSyntax, transferSyntax));
        }
        if (!mayInvoke(abstractSyntax)) {
            throw new IllegalStateException("Association " + name() + " may not send requests of SOP class "
                    + abstractSyntax + " because " + (requestor
                    ? "the acceptor declined the SCU role for it"
                    : "the requestor did not propose, or was not granted, the SCP role for it")
                    + "; negotiate SCP/SCU role selection for it");
        }
        return context;
    }

    private String missingContextMessage(String abstractSyntax, String transferSyntax) {
        return "Association " + name() + " has no accepted presentation context for " + abstractSyntax
                + (transferSyntax == null ? "" : " with transfer syntax " + transferSyntax)
                + "; propose one when you connect";
    }

    // ---- PdvChannel ----

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if called on another thread than the association's reader,
     *     because two readers would split each other's messages; send requests with
     *     {@link DimseScu} instead
     */
    @Override
    public Pdv nextPdv() throws IOException {
        return nextPdv(false);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The read timeout is the acceptor's idle timeout, so a peer that stalls inside a message is
     * aborted once that timeout passes. An idle timeout of 0 sets no limit here either.
     */
    @Override
    public Pdv nextPdvOfMessage() throws IOException {
        return nextPdv(true);
    }

    private Pdv nextPdv(boolean insideMessage) throws IOException {
        Thread reader = readingThread;
        if (reader != null && reader != Thread.currentThread()) {
            throw new IllegalStateException("Association " + name() + " is read by thread " + reader.getName()
                    + ", so thread " + Thread.currentThread().getName() + " may not read it; use DimseScu or "
                    + "the SCU methods of Association, which wait for that reader to hand over the responses");
        }
        while (pendingPdvs.isEmpty()) {
            State current = state;
            if (current != State.STA6 && current != State.STA7) {
                return null;
            }
            readAndDispatch(insideMessage);
        }
        return pendingPdvs.poll();
    }

    @Override
    public void writePdv(int contextId, boolean command, boolean last, byte[] data, int offset, int length)
            throws IOException {
        // Checked under the writer's lock, which an A-ABORT also takes, so that a P-DATA-TF either
        // precedes the abort on the wire or is not sent at all.
        synchronized (writer) {
            State current = state;
            if (current != State.STA6 && current != State.STA7) {
                throw new AssociationAbortedException("Association " + name() + " is no longer established (state "
                        + current + "); the P-DATA-TF was not sent");
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} >> P-DATA-TF[pcid={}, {}{}, {} bytes]", name(), contextId,
                        command ? "command" : "data", last ? ", last" : "", length);
            }
            writer.writePData(contextId, command, last, data, offset, length);
        }
    }

    @Override
    public int maxPdvDataLength() {
        int limit = sendPduLengthLimit;
        int pduLength = limit > 0 ? Math.min(limit, peerMaxPduLength()) : peerMaxPduLength();
        return Math.max(1, pduLength - 6);
    }

    /**
     * Sends P-DATA-TF PDUs of at most {@code bytes} from now on, even if the peer accepts larger
     * ones, as dcmtk's {@code --max-send-pdu} does. A limit of 0 sends up to the peer's maximum again.
     */
    public void limitSendPduLength(int bytes) {
        if (bytes != 0 && bytes < MIN_SEND_PDU_LENGTH) {
            throw new IllegalArgumentException("A send PDU limit must be 0 or at least " + MIN_SEND_PDU_LENGTH
                    + " bytes, got " + bytes);
        }
        sendPduLengthLimit = bytes;
    }

    // ---- operations in progress, for graceful shutdown ----

    /** Marks the start of a DIMSE operation; an abort from {@link #abortWhenIdle()} then waits for its end. */
    public synchronized void beginOperation() {
        operationInProgress = true;
    }

    public synchronized void endOperation() {
        operationInProgress = false;
        operationEnded = true;
        operationEndedNanos = System.nanoTime();
        if (abortWhenOperationEnds) {
            state.onLocalAbort(this);
        }
    }

    synchronized boolean isOperationInProgress() {
        return operationInProgress;
    }

    /** Aborts now if no DIMSE operation is in progress, otherwise when the current one ends. */
    synchronized void abortWhenIdle() {
        if (operationInProgress) {
            abortWhenOperationEnds = true;
        } else {
            state.onLocalAbort(this);
        }
    }

    // ---- driving the state machine ----

    /** Runs the acceptor side on the calling thread until the transport connection is closed. */
    void runAcceptor(AssociationHandler handler, long idleTimeoutMs) {
        try {
            synchronized (this) {
                state = State.STA2;
                artim.start();
            }
            while (state == State.STA2) {
                readAndDispatch();
            }
            if (state == State.STA6) {
                readingThread = Thread.currentThread();
                this.idleTimeoutMs = idleTimeoutMs;
                socket.setSoTimeout((int) idleTimeoutMs);
                serve(handler);
            }
            while (state != State.STA1) {
                readAndDispatch();
            }
        } catch (IOException e) {
            synchronized (this) {
                state.onTransportClosed(this, e.toString());
            }
        } finally {
            closeTransport();
        }
    }

    private void serve(AssociationHandler handler) {
        try {
            handler.serve(this);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Association {} from {}: the DIMSE service failed, so the association is aborted: {}",
                    name(), remoteAddress(), e.toString(), e);
        }
        synchronized (this) {
            if (state == State.STA6 || state == State.STA7) {
                abortAndAwaitClose(AAbort.byProvider(AAbort.REASON_NOT_SPECIFIED),
                        "the DIMSE service stopped while the association was established");
            }
        }
    }

    /** Sends the A-ASSOCIATE-RQ and waits for the A-ASSOCIATE-AC or RJ (requestor side). */
    void request(AAssociateRq rq) throws IOException {
        synchronized (this) {
            callingAeTitle = rq.callingAeTitle();
            calledAeTitle = rq.calledAeTitle();
            state = State.STA4;
            this.pendingRequest = rq;
            // AE-2: the transport connection is open, so send the A-ASSOCIATE-RQ.
            send(rq);
            state = State.STA5;
        }
        socket.setSoTimeout((int) artimTimeoutMs);
        try {
            while (state == State.STA5) {
                readAndDispatch();
            }
        } catch (SocketTimeoutException e) {
            abort();
            throw new AssociationAbortedException("Association " + name() + " to " + remoteAddress()
                    + " got no A-ASSOCIATE-AC or RJ within " + artimTimeoutMs + " ms");
        }
        if (rejection != null) {
            throw new AssociationRejectedException("Association " + name() + " was rejected by " + remoteAddress()
                    + ": " + rejection, rejection);
        }
        if (state != State.STA6) {
            closeTransport();
            throw new AssociationAbortedException("Association " + name() + " to " + remoteAddress()
                    + " ended during negotiation (state " + state + ")");
        }
    }

    /**
     * Sets the DIMSE response timeout and starts the reader thread of the requestor. The socket
     * then reads without timeout, because an idle requestor association is normal, and each SCU
     * call enforces the response timeout itself.
     */
    void startReading(long responseTimeoutMs) throws IOException {
        this.responseTimeoutMs = responseTimeoutMs;
        socket.setSoTimeout(0);
        readerThreadStarted = true;
        readingThread = dimse().startReaderThread();
    }

    private void readAndDispatch() throws IOException {
        readAndDispatch(false);
    }

    /**
     * Reads one PDU and passes it to the state machine.
     *
     * @param insideMessage whether the peer owes the rest of a message, so that a read timeout means
     *     it stalled there
     */
    private void readAndDispatch(boolean insideMessage) throws IOException {
        Pdu pdu;
        try {
            pdu = reader.read();
        } catch (PduException e) {
            synchronized (this) {
                state.onInvalidPdu(this, e);
            }
            return;
        } catch (SocketTimeoutException e) {
            if (requestor && state == State.STA5) {
                throw e;
            }
            onReadTimeout(insideMessage);
            return;
        } catch (IOException e) {
            synchronized (this) {
                state.onTransportClosed(this, e.toString());
            }
            return;
        }
        if (pdu == null) {
            synchronized (this) {
                state.onTransportClosed(this, "the peer closed the connection");
            }
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} << {}", name(), pdu);
        }
        synchronized (this) {
            state.onPdu(this, pdu);
        }
    }

    private synchronized void onReadTimeout(boolean insideMessage) {
        boolean established = isEstablished();
        if (insideMessage && established) {
            abortAndAwaitClose(AAbort.byProvider(AAbort.REASON_NOT_SPECIFIED), "the peer stopped sending in the "
                    + "middle of a message and sent nothing more within the idle timeout of " + idleTimeoutMs + " ms");
            return;
        }
        boolean recentlyBusy = operationEnded && System.nanoTime() - operationEndedNanos < idleTimeoutMs * 1_000_000;
        if ((operationInProgress || recentlyBusy) && established) {
            // The peer waits for our responses while a service runs, so idle time counts from its end.
            return;
        }
        if (established) {
            abortAndAwaitClose(AAbort.byProvider(AAbort.REASON_NOT_SPECIFIED),
                    "the peer sent nothing within the idle timeout of " + idleTimeoutMs + " ms");
        } else {
            closeTransport();
        }
    }

    private void onArtimExpired() {
        synchronized (this) {
            state.onArtimExpired(this);
        }
    }

    // ---- actions of the state machine (PS3.8 Table 9-7 to 9-9), called with the lock held ----

    /** AE-6 then AE-7 or AE-8: accept or reject the A-ASSOCIATE-RQ at once and send the AC or RJ. */
    void acceptOrReject(AAssociateRq rq) {
        callingAeTitle = rq.callingAeTitle();
        calledAeTitle = rq.calledAeTitle();
        userIdentity = rq.userInformation().userIdentityRq();
        state = State.STA3;

        AAssociateRj reject = negotiator.rejection(rq, overLimit);
        if (reject != null) {
            rejection = reject;
            sendQuietly(reject);
            state = State.STA13;
            artim.start();
            logEnd(false, "was rejected with " + reject);
            return;
        }

        AAssociateAc ac = negotiator.accept(rq);
        recordAccepted(rq, ac);
        if (send(ac)) {
            state = State.STA6;
            logEstablished(ac);
        }
    }

    /** AE-3: the acceptor accepted our request. */
    void accepted(AAssociateAc ac) {
        recordAccepted(pendingRequest, ac);
        state = State.STA6;
        logEstablished(ac);
    }

    /** AE-4: the acceptor rejected our request. */
    void rejected(AAssociateRj rj) {
        rejection = rj;
        closeTransport();
        logEnd(false, "was rejected by the acceptor with " + rj);
    }

    private void recordAccepted(AAssociateRq rq, AAssociateAc ac) {
        for (PresentationContextAc answer : ac.presentationContexts()) {
            if (!answer.accepted()) {
                continue;
            }
            rq.presentationContexts().stream().filter(proposed -> proposed.id() == answer.id()).findFirst()
                    .map(PresentationContextRq::abstractSyntax)
                    .ifPresent(abstractSyntax -> acceptedContexts.put(answer.id(),
                            new PresentationContext(answer.id(), abstractSyntax, answer.transferSyntax())));
        }
        for (RoleSelection role : ac.userInformation().roleSelections()) {
            acceptedRoles.put(role.sopClassUid(), role);
        }
        long peerMax = requestor ? ac.userInformation().maxLength() : rq.userInformation().maxLength();
        // A maximum of 0 means the peer sets no limit, so this side sends PDUs of its own receive size.
        peerMaxPduLength = peerMax == 0 || peerMax > Integer.MAX_VALUE ? ourMaxPduLength : (int) peerMax;
    }

    /** DT-2 and AR-7: queue the PDVs for the DIMSE layer. */
    void deliver(PDataTf pdata) {
        pendingPdvs.addAll(pdata.pdvs());
    }

    /** AR-2 then AR-4 (or AR-10 then AR-4 after a collision): send the A-RELEASE-RP at once. */
    void replyToRelease() {
        state = State.STA8;
        if (send(new AReleaseRp())) {
            state = State.STA13;
            artim.start();
            logEnd(false, "was released");
        }
    }

    /** AR-1: send an A-RELEASE-RQ. */
    void sendReleaseRq() {
        if (send(new AReleaseRq())) {
            state = State.STA7;
        }
    }

    /** AR-3: the peer confirmed our release. */
    void releaseConfirmed() {
        closeTransport();
        logEnd(false, "was released");
    }

    /** AR-8: both sides requested a release at the same time. */
    void releaseCollision() {
        if (requestor) {
            state = State.STA9;
            if (send(new AReleaseRp())) {
                state = State.STA11;
            }
        } else {
            state = State.STA10;
        }
    }

    /** AA-1, AA-7 and AA-8: send an A-ABORT (or the RJ the decoder chose), start ARTIM, go to Sta13. */
    void abortAndAwaitClose(Pdu reply, String reason) {
        // The state changes first: writePdv checks it under the writer's lock, so no P-DATA-TF
        // of a service thread can follow this A-ABORT or A-ASSOCIATE-RJ on the wire.
        state = State.STA13;
        sendQuietly(reply);
        artim.start();
        if (reply instanceof AAssociateRj rj) {
            rejection = rj;
            logEnd(true, "was rejected with " + rj + " because " + reason);
        } else {
            boolean failure = !(reply instanceof AAbort abort) || abort.source() != AAbort.SOURCE_SERVICE_USER;
            logEnd(failure, "was aborted by this side with " + reply + " because " + reason);
        }
    }

    /** AA-2 and AA-3: the peer aborted. */
    void closeAfterPeerAbort(AAbort abort) {
        closeTransport();
        logEnd(abort.source() != AAbort.SOURCE_SERVICE_USER, "was aborted by the peer with " + abort);
    }

    /** AA-4 and AA-5: the transport connection was lost. */
    void closeAfterTransportLoss(String reason) {
        State before = state;
        closeTransport();
        if (before == State.STA2) {
            logEnd(false, "closed the connection before sending an A-ASSOCIATE-RQ");
        } else {
            logEnd(true, "was aborted because the transport connection closed unexpectedly: " + reason);
        }
    }

    /** AA-2 on ARTIM expiry in Sta2 or Sta13. */
    void closeOnArtimExpiry() {
        State before = state;
        closeTransport();
        if (before == State.STA2) {
            logEnd(true, "was aborted because no A-ASSOCIATE-RQ arrived within the ARTIM timeout of "
                    + artimTimeoutMs + " ms");
        } else {
            LOG.debug("{}: the peer did not close the connection within {} ms, so this side closed it", name(),
                    artimTimeoutMs);
        }
    }

    void stopArtim() {
        artim.stop();
    }

    /** Closes the socket, stops ARTIM and moves to Sta1. */
    void closeTransport() {
        artim.stop();
        state = State.STA1;
        transportClosed.countDown();
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the socket failed: {}", name(), e.toString());
        }
    }

    /** Sends a PDU; on an I/O error it closes the transport and returns false. */
    boolean send(Pdu pdu) {
        try {
            LOG.debug("{} >> {}", name(), pdu);
            writer.write(pdu);
            return true;
        } catch (IOException e) {
            closeTransport();
            logEnd(true, "was aborted because sending " + pdu + " failed: " + e);
            return false;
        }
    }

    /** Sends a PDU on a connection that is about to close anyway, so a failure is only logged at DEBUG. */
    void sendQuietly(Pdu pdu) {
        try {
            LOG.debug("{} >> {}", name(), pdu);
            writer.write(pdu);
        } catch (IOException e) {
            LOG.debug("{}: sending {} failed: {}", name(), pdu, e.toString());
        }
    }

    private void logEstablished(AAssociateAc ac) {
        long accepted = ac.presentationContexts().stream().filter(PresentationContextAc::accepted).count();
        LOG.info("Association {} {} {} was established: calling AE title {}, called AE title {}, {} of {} "
                        + "presentation contexts accepted, peer maximum PDU length {}.", name(),
                requestor ? "to" : "from", remoteAddress(), callingAeTitle, calledAeTitle, accepted,
                ac.presentationContexts().size(), peerMaxPduLength);
    }

    /**
     * Counts a final response to a request named {@code request} (such as C-STORE-RQ) that is about
     * to be sent, for the summary in the line logged at the end of the association.
     */
    public synchronized void countFinalResponse(String request, boolean failed) {
        int[] counts = finalResponses.computeIfAbsent(request, name -> new int[2]);
        counts[0]++;
        if (failed) {
            counts[1]++;
        }
    }

    private void logEnd(boolean failure, String what) {
        if (endLogged) {
            return;
        }
        endLogged = true;
        String direction = requestor ? "to" : "from";
        if (failure) {
            LOG.warn("Association {} {} {} (calling AE title {}, called AE title {}) {}{}.", name(), direction,
                    remoteAddress(), callingAeTitle, calledAeTitle, what, responseSummary());
        } else {
            LOG.info("Association {} {} {} (calling AE title {}, called AE title {}) {}{}.", name(), direction,
                    remoteAddress(), callingAeTitle, calledAeTitle, what, responseSummary());
        }
    }

    /** Returns ", after responding to 300 C-STORE-RQ (2 failed)" and the like, or "" without responses. */
    private synchronized String responseSummary() {
        if (finalResponses.isEmpty()) {
            return "";
        }
        String prefix = ", after responding to ";
        StringBuilder summary = new StringBuilder(prefix);
        finalResponses.forEach((request, counts) -> {
            if (summary.length() > prefix.length()) {
                summary.append(", ");
            }
            summary.append(counts[0]).append(' ').append(request).append(" (").append(counts[1]).append(" failed)");
        });
        return summary.toString();
    }

    /** Returns the A-ASSOCIATE-RJ this association was rejected with, or null. */
    public synchronized AAssociateRj rejection() {
        return rejection;
    }
}
