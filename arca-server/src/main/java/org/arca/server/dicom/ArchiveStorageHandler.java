package org.arca.server.dicom;

import java.io.InputStream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.PresentationContext;
import org.arca.dicom.dimse.CStoreRequest;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.dimse.StorageHandler;
import org.arca.store.ingest.IngestException;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.ingest.IngestResult;
import org.arca.store.ingest.IngestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the C-STORE SCP to the ingest transaction. The C-STORE response is written
 * only after {@link #store} returns, and {@link IngestService#ingest} returns only after
 * the blob and its journal record are durable, so Success is never sent early.
 */
public final class ArchiveStorageHandler implements StorageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveStorageHandler.class);

    private final IngestService ingest;
    private final WriteGate writeGate;

    public ArchiveStorageHandler(IngestService ingest, WriteGate writeGate) {
        this.ingest = ingest;
        this.writeGate = writeGate;
    }

    @Override
    public int store(Association association, PresentationContext context, CStoreRequest request, InputStream dataset)
            throws DimseException {
        IngestRequest ingestRequest = new IngestRequest(request.affectedSopClassUid(),
                request.affectedSopInstanceUid(), context.transferSyntax(), association.callingAeTitle());
        if (!writeGate.enter()) {
            throw new DimseException(Status.OUT_OF_RESOURCES, "Arca is shutting down; send again later");
        }
        try {
            IngestResult result = ingest.ingest(ingestRequest, dataset);
            logStored(association, ingestRequest, result);
            return Status.SUCCESS;
        } catch (IngestException e) {
            throw failure(association, ingestRequest, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DimseException(Status.PROCESSING_FAILURE, "Interrupted while storing; send again");
        } finally {
            writeGate.exit();
        }
    }

    /**
     * Logs each stored instance at DEBUG: at thousands of instances per second a line each costs a
     * noticeable share of the ingest thread. The line logged at the association's end counts them at INFO, and the
     * journal records each one with its sender.
     */
    private static void logStored(Association association, IngestRequest request, IngestResult result) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        if (result.duplicate()) {
            LOG.debug("{}: SOP Instance {} is identical to stored version {}; nothing new was written.",
                    association.name(), request.sopInstanceUid(), result.version());
            return;
        }
        LOG.debug("{}: stored SOP Instance {} of SOP Class {} as version {} ({} bytes, SHA-256 {}, journal record {}).",
                association.name(), request.sopInstanceUid(), request.sopClassUid(), result.version(),
                result.sizeBytes(), result.blobId().hex(), result.journalSequence());
    }

    /** Maps an ingest failure to the DIMSE status of PS3.4 Annex B and logs it. */
    private static DimseException failure(Association association, IngestRequest request, IngestException e) {
        int status = switch (e.reason()) {
            case INVALID_DATASET -> Status.CANNOT_UNDERSTAND;
            case DATASET_MISMATCH -> Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS;
            case NO_SPACE -> Status.OUT_OF_RESOURCES;
            case IO_ERROR -> Status.PROCESSING_FAILURE;
        };
        if (e.reason() == IngestException.Reason.NO_SPACE || e.reason() == IngestException.Reason.IO_ERROR) {
            LOG.error("{}: storing SOP Instance {} failed with status 0x{}; nothing was acknowledged. {}",
                    association.name(), request.sopInstanceUid(), Integer.toHexString(status).toUpperCase(),
                    e.getMessage(), e);
        } else if (!association.isEstablished()) {
            // No status reaches the sender: the association was aborted while its data set arrived.
            LOG.info("{}: SOP Instance {} was not stored because the association was aborted while it arrived: {}",
                    association.name(), request.sopInstanceUid(), e.getMessage());
        } else {
            LOG.warn("{}: rejected SOP Instance {} with status 0x{}: {}", association.name(),
                    request.sopInstanceUid(), Integer.toHexString(status).toUpperCase(), e.getMessage());
        }
        return new DimseException(status, e.getMessage());
    }
}
