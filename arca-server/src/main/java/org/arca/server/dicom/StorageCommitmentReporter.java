package org.arca.server.dicom;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.association.State;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.pdu.RoleSelection;
import org.arca.dicom.uid.UID;
import org.arca.server.config.ArcaConfig;
import org.arca.store.blob.BlobStore;
import org.arca.store.commitment.CommitmentResult;
import org.arca.store.commitment.PendingCommitment;
import org.arca.store.commitment.StorageCommitmentJournal;
import org.arca.store.index.Index;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks journaled Storage Commitment requests and delivers each result in an N-EVENT-REPORT:
 * on the association that carried the request while it is open and the requester responds
 * with Success there, otherwise on a new association to the requester's AE as
 * {@code dicom.moveDestinations} configures it. On a new association any response counts as
 * delivered, so a requester that rejects reports does not get them again and again. A result
 * is journaled as reported only after the requester responded to the N-EVENT-REPORT-RQ, so a
 * request whose report did not arrive is delivered again after a restart.
 *
 * <p>Thread-safe: one scheduler thread checks and delivers, in submission order.
 */
public final class StorageCommitmentReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorageCommitmentReporter.class);

    /** How many new associations a delivery tries before it waits for the next start. */
    static final int MAX_NEW_ASSOCIATION_ATTEMPTS = 5;

    /** How long an N-EVENT-REPORT-RQ on a new association waits for its response, in milliseconds. */
    static final long RESPONSE_TIMEOUT_MS = 30_000;

    private final ArcaConfig.Dicom config;
    private final StorageCommitmentChecker checker;
    private final StorageCommitmentJournal journal;
    private final long firstRetryDelayMs;
    private final ScheduledExecutorService scheduler;

    /**
     * @param firstRetryDelayMs the wait before the second attempt on a new association, in
     *     milliseconds; each later wait doubles it
     */
    public StorageCommitmentReporter(ArcaConfig.Dicom config, Index index, BlobStore blobs,
            StorageCommitmentJournal journal, long firstRetryDelayMs) {
        this.config = config;
        this.checker = new StorageCommitmentChecker(index, blobs);
        this.journal = journal;
        this.firstRetryDelayMs = firstRetryDelayMs;
        // TODO: a requester that never responds on the request's association holds this one thread
        // until the association's idle timeout; give each delivery its own deadline.
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "storage-commitment");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Queues a request that arrived on {@code association}. The report goes there if it is
     * still open when the result is ready.
     *
     * @param transferSyntaxUid the transfer syntax of the request's presentation context
     */
    void submit(PendingCommitment pending, Association association, String transferSyntaxUid) {
        schedule(new Delivery(pending, association, transferSyntaxUid), 0);
    }

    /** Queues the requests a previous run journaled but did not report; their reports go on new associations. */
    public void resume(List<PendingCommitment> pending) {
        if (!pending.isEmpty()) {
            LOG.info("{} Storage Commitment requests from an earlier run have no delivered report; checking and "
                    + "reporting them now.", pending.size());
        }
        for (PendingCommitment commitment : pending) {
            schedule(new Delivery(commitment, null, null), 0);
        }
    }

    private void schedule(Delivery delivery, long delayMs) {
        try {
            scheduler.schedule(() -> run(delivery), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.info("Storage Commitment transaction {} is reported after the next start, because Arca is stopping.",
                    delivery.pending.request().transactionUid());
        }
    }

    private void run(Delivery delivery) {
        try {
            if (delivery.result == null) {
                delivery.result = checker.check(delivery.pending);
            }
            if (delivery.newAssociationAttempts == 0 && deliveredOnRequestAssociation(delivery)) {
                journalReported(delivery.result);
                return;
            }
            deliverOnNewAssociation(delivery);
        } catch (RuntimeException e) {
            LOG.error("Storage Commitment transaction {} from {} failed: {}. It is retried after the next start.",
                    delivery.pending.request().transactionUid(), delivery.pending.request().requesterAeTitle(),
                    e.toString(), e);
        }
    }

    private boolean deliveredOnRequestAssociation(Delivery delivery) {
        Association association = delivery.association;
        if (association == null || association.state() != State.STA6) {
            return false;
        }
        try {
            DimseResponse response = association.neventReport(UID.StorageCommitmentPushModel,
                    UID.StorageCommitmentPushModelInstance, delivery.result.eventTypeId(),
                    encode(delivery.result, delivery.transferSyntaxUid), delivery.transferSyntaxUid);
            if (response.status() != Status.SUCCESS) {
                // A requester may reject the report here because it takes reports only on a new association.
                LOG.warn("{}: the requester answered the Storage Commitment report of transaction {} with status "
                        + "0x{}; trying a new association.", association.name(),
                        delivery.pending.request().transactionUid(), Integer.toHexString(response.status()));
                return false;
            }
            logDelivered(delivery, association.name(), response);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: sending the Storage Commitment report of transaction {} on the request's association "
                    + "failed: {}; trying a new association.", association.name(),
                    delivery.pending.request().transactionUid(), e.toString());
            return false;
        }
    }

    private void deliverOnNewAssociation(Delivery delivery) {
        String requester = delivery.pending.request().requesterAeTitle();
        ArcaConfig.MoveDestination destination = config.moveDestination(requester);
        if (destination == null) {
            LOG.error("Storage Commitment transaction {}: the requester {} released its association before the "
                    + "report, and dicom.moveDestinations does not list its host and port; add it there. The report "
                    + "is retried after the next start.", delivery.pending.request().transactionUid(), requester);
            return;
        }
        delivery.newAssociationAttempts++;
        try {
            sendOnNewAssociation(delivery, destination);
            journalReported(delivery.result);
        } catch (IOException | RuntimeException e) {
            retryOrGiveUp(delivery, destination, e);
        }
    }

    private void sendOnNewAssociation(Delivery delivery, ArcaConfig.MoveDestination destination)
            throws IOException {
        LOG.info("Storage Commitment transaction {}: opening an association to {} at {}:{} for the report "
                + "(attempt {} of {}).", delivery.pending.request().transactionUid(), destination.aeTitle(),
                destination.host(), destination.port(), delivery.newAssociationAttempts, MAX_NEW_ASSOCIATION_ATTEMPTS);
        Association association = AssociationRequestor.connect(requestorConfig(destination));
        try {
            String transferSyntaxUid = association.acceptedContext(UID.StorageCommitmentPushModel, null)
                    .transferSyntax();
            DimseResponse response = association.neventReport(UID.StorageCommitmentPushModel,
                    UID.StorageCommitmentPushModelInstance, delivery.result.eventTypeId(),
                    encode(delivery.result, transferSyntaxUid), transferSyntaxUid);
            logDelivered(delivery, association.name(), response);
            association.release();
        } catch (IOException | RuntimeException e) {
            association.abort();
            throw e;
        }
    }

    /**
     * Proposes the Storage Commitment Push Model with Arca in the SCP role only, because here the
     * SCP opens the association and the requester keeps its SCU role.
     */
    private RequestorConfig requestorConfig(ArcaConfig.MoveDestination destination) {
        return RequestorConfig.builder(destination.host(), destination.port(), config.aeTitle(), destination.aeTitle())
                .presentationContexts(RequestorConfig.contexts(List.of(UID.StorageCommitmentPushModel),
                        List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)))
                .roleSelections(List.of(new RoleSelection(UID.StorageCommitmentPushModel, false, true)))
                .responseTimeoutMs(RESPONSE_TIMEOUT_MS)
                .build();
    }

    private void retryOrGiveUp(Delivery delivery, ArcaConfig.MoveDestination destination, Exception e) {
        String transactionUid = delivery.pending.request().transactionUid();
        if (delivery.newAssociationAttempts >= MAX_NEW_ASSOCIATION_ATTEMPTS) {
            LOG.error("Storage Commitment transaction {}: delivering the report to {} at {}:{} failed {} times, "
                    + "last with {}. The report is retried after the next start.", transactionUid,
                    destination.aeTitle(), destination.host(), destination.port(), delivery.newAssociationAttempts,
                    e.toString());
            return;
        }
        long delayMs = firstRetryDelayMs << (delivery.newAssociationAttempts - 1);
        LOG.warn("Storage Commitment transaction {}: delivering the report to {} at {}:{} failed with {}; "
                + "retrying in {} ms.", transactionUid, destination.aeTitle(), destination.host(), destination.port(),
                e.toString(), delayMs);
        schedule(delivery, delayMs);
    }

    private byte[] encode(CommitmentResult result, String transferSyntaxUid) {
        return StorageCommitmentReports.encode(StorageCommitmentReports.eventInformation(result,
                config.aeTitle()), transferSyntaxUid);
    }

    private static void logDelivered(Delivery delivery, String associationName, DimseResponse response) {
        CommitmentResult result = delivery.result;
        if (response.status() == Status.SUCCESS) {
            LOG.info("{}: reported Storage Commitment transaction {} (event type {}, {} committed, {} failed).",
                    associationName, result.transactionUid(), result.eventTypeId(), result.committed().size(),
                    result.failed().size());
        } else {
            LOG.warn("{}: the requester answered the Storage Commitment report of transaction {} with status "
                    + "0x{}; Arca counts it as delivered.", associationName, result.transactionUid(),
                    Integer.toHexString(response.status()));
        }
    }

    private void journalReported(CommitmentResult result) {
        try {
            long sequence = journal.appendReportedAndForce(result);
            LOG.info("Journaled the delivered report of Storage Commitment transaction {} as record {}.",
                    result.transactionUid(), sequence);
        } catch (IOException e) {
            LOG.error("Journaling the delivered report of Storage Commitment transaction {} failed: {}. The report "
                    + "is sent again after the next start.", result.transactionUid(), e.toString(), e);
        }
    }

    /** Stops checking and delivering; what is not reported yet stays pending in the journal. */
    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        if (!scheduler.awaitTermination(RESPONSE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            LOG.warn("The Storage Commitment reporter did not stop within {} ms.", RESPONSE_TIMEOUT_MS);
        }
    }

    /** One request on its way to its report; only the scheduler thread touches it. */
    private static final class Delivery {
        final PendingCommitment pending;
        final Association association;
        final String transferSyntaxUid;
        CommitmentResult result;
        int newAssociationAttempts;

        Delivery(PendingCommitment pending, Association association, String transferSyntaxUid) {
            this.pending = pending;
            this.association = association;
            this.transferSyntaxUid = transferSyntaxUid;
        }
    }
}
