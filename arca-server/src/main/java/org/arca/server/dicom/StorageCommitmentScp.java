package org.arca.server.dicom;

import java.io.IOException;
import org.arca.dicom.association.Association;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.DimseRequest;
import org.arca.dicom.dimse.DimseResponder;
import org.arca.dicom.dimse.DimseService;
import org.arca.dicom.dimse.Status;
import org.arca.store.commitment.CommitmentRequest;
import org.arca.store.commitment.PendingCommitment;
import org.arca.store.commitment.StorageCommitmentJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The N-ACTION SCP of the Storage Commitment Push Model SOP Class. It journals each valid
 * request, forces the journal, answers Success, and leaves the check and the N-EVENT-REPORT to
 * the {@link StorageCommitmentReporter}.
 */
public final class StorageCommitmentScp implements DimseService {

    private static final Logger LOG = LoggerFactory.getLogger(StorageCommitmentScp.class);

    private final StorageCommitmentJournal journal;
    private final StorageCommitmentReporter reporter;

    public StorageCommitmentScp(StorageCommitmentJournal journal, StorageCommitmentReporter reporter) {
        this.journal = journal;
        this.reporter = reporter;
    }

    @Override
    public void handle(DimseRequest request, DimseResponder responder) throws DimseException, IOException {
        Association association = request.association();
        CommitmentRequest commitment;
        try {
            commitment = StorageCommitmentRequestParser.parse(request);
        } catch (DimseException e) {
            LOG.warn("{}: rejected Storage Commitment request (message {}) with status 0x{}: {}.", association.name(),
                    request.messageId(), Integer.toHexString(e.status()), e.errorComment());
            throw e;
        }

        PendingCommitment pending;
        try {
            pending = journal.appendRequestAndForce(commitment);
        } catch (IOException e) {
            LOG.error("{}: journaling Storage Commitment transaction {} failed: {}; answering Processing failure.",
                    association.name(), commitment.transactionUid(), e.toString(), e);
            throw new DimseException(Status.PROCESSING_FAILURE, "Journaling the request failed; retry later", e);
        }
        LOG.info("{}: accepted Storage Commitment transaction {} for {} instances (journal record {}).",
                association.name(), commitment.transactionUid(), commitment.references().size(),
                pending.requestSequence());

        responder.send(Status.SUCCESS, null);
        reporter.submit(pending, association, request.presentationContext().transferSyntax());
    }
}
