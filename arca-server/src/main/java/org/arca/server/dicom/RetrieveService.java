package org.arca.server.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.dicom.dimse.CommandField;
import org.arca.dicom.dimse.DimseRequest;
import org.arca.dicom.dimse.DimseResponder;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.store.blob.BlobStore;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceVersion;
import org.arca.store.index.StudyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of C-MOVE and C-GET that does not depend on where the instances go. It resolves the
 * identifier's keys to the current versions in the index. Then it runs one C-STORE sub-operation
 * per instance with verified bytes, sends a Pending response after each, and ends with the final
 * response.
 *
 * <p>Thread-safe: each retrieve runs on its association's thread with its own state, and reads ahead
 * on a worker thread of its own.
 */
public final class RetrieveService {

    private static final Logger LOG = LoggerFactory.getLogger(RetrieveService.class);

    private final Index index;
    private final RetrieveBlobReader blobReader;
    private final RetrieveRepairLog repairLog;

    /**
     * @param bufferDirectory where large blobs are copied while their SHA-256 is checked; the node
     *     empties it at start
     */
    public RetrieveService(Index index, BlobStore blobs, Path bufferDirectory, RetrieveRepairLog repairLog) {
        this.index = index;
        this.blobReader = new RetrieveBlobReader(blobs, bufferDirectory);
        this.repairLog = repairLog;
    }

    public RetrieveRepairLog repairLog() {
        return repairLog;
    }

    /** Returns the current version of each matching instance, once each, in study, series and instance order. */
    List<InstanceVersion> resolve(RetrieveKeys keys) {
        Map<String, InstanceVersion> matches = new LinkedHashMap<>();
        switch (keys.level()) {
            case PATIENT -> {
                for (StudyEntry study : index.studiesByPatientId(keys.patientId())) {
                    addAll(matches, index.instancesOfStudy(study.studyInstanceUid(), false));
                }
            }
            case STUDY -> {
                for (String studyUid : keys.studyInstanceUids()) {
                    addAll(matches, index.instancesOfStudy(studyUid, false));
                }
            }
            case SERIES -> {
                for (String seriesUid : keys.seriesInstanceUids()) {
                    addAll(matches, index.instancesOfSeries(seriesUid, false).stream()
                            .filter(version -> withinStudies(keys, version)).toList());
                }
            }
            case IMAGE -> {
                for (String sopUid : keys.sopInstanceUids()) {
                    index.currentVersion(sopUid).filter(version -> withinStudies(keys, version))
                            .filter(version -> keys.seriesInstanceUids().isEmpty()
                                    || keys.seriesInstanceUids().contains(version.seriesInstanceUid()))
                            .ifPresent(version -> matches.putIfAbsent(sopUid, version));
                }
            }
        }
        return List.copyOf(matches.values());
    }

    private static boolean withinStudies(RetrieveKeys keys, InstanceVersion version) {
        return keys.studyInstanceUids().isEmpty() || keys.studyInstanceUids().contains(version.studyInstanceUid());
    }

    private static void addAll(Map<String, InstanceVersion> matches, List<InstanceVersion> versions) {
        for (InstanceVersion version : versions) {
            matches.putIfAbsent(version.sopInstanceUid(), version);
        }
    }

    /**
     * Runs the sub-operations in order and sends a Pending response after each one that leaves some
     * remaining, then the final response. A failed association to the target fails the instance in
     * progress and every remaining one, and the final response still goes to the requester.
     *
     * <p>While one sub-operation is sent and its response awaited, a worker thread reads and verifies
     * the blob of the next one (see {@link RetrievePrefetch}). A blob that fails its check fails its
     * own sub-operation when its turn comes, as if it had been read then.
     *
     * @param target where to send the instances, or null when {@code instances} is empty
     * @throws IOException if a response to the requester cannot be sent
     */
    void run(DimseRequest request, DimseResponder responder, List<InstanceVersion> instances, RetrieveTarget target,
            int priority) throws IOException {
        RetrieveProgress progress = new RetrieveProgress(instances.size());
        boolean cancelled = false;
        try (RetrievePrefetch prefetch = new RetrievePrefetch(blobReader,
                request.association().name() + " retrieve reader")) {
            readAhead(prefetch, target, instances, 0);
            for (int i = 0; i < instances.size(); i++) {
                if (request.isCancelRequested()) {
                    cancelled = true;
                    break;
                }
                boolean targetAlive = runSubOperation(request, target, instances, i, priority, progress, prefetch);
                if (!targetAlive) {
                    failRemaining(instances.subList(i + 1, instances.size()), progress);
                    break;
                }
                if (progress.remaining() > 0) {
                    responder.send(progress.pendingResponse(request.command()), null);
                }
            }
        }
        sendFinal(request, responder, progress, cancelled, target);
    }

    /**
     * Fails every instance without sending it and sends the final response (0xA702 with the Failed
     * SOP Instance UID List), for a retrieve whose target cannot be reached.
     */
    void failAll(DimseRequest request, DimseResponder responder, List<InstanceVersion> instances, String reason)
            throws IOException {
        RetrieveProgress progress = new RetrieveProgress(instances.size());
        failRemaining(instances, progress);
        int status = progress.finalStatus(false);
        responder.send(progress.finalResponse(request.command(), status, reason),
                progress.failedListIdentifier(request.presentationContext().transferSyntax()));
        LOG.warn("{}: {} message {} failed all {} sub-operations with status 0x{}: {}", request.association().name(),
                CommandField.name(request.commandField()), request.messageId(), instances.size(),
                Integer.toHexString(status).toUpperCase(), reason);
    }

    /**
     * Runs the sub-operation of instance {@code index} and starts reading the blob of the next one.
     * Returns false when the association to the target failed.
     */
    private boolean runSubOperation(DimseRequest request, RetrieveTarget target, List<InstanceVersion> instances,
            int index, int priority, RetrieveProgress progress, RetrievePrefetch prefetch) {
        InstanceVersion instance = instances.get(index);
        String reason = target.unsupportedReason(instance.sopClassUid(), instance.transferSyntaxUid());
        if (reason != null) {
            readAhead(prefetch, target, instances, index + 1);
            failOne(request, target, instance, reason, progress);
            return true;
        }
        RetrieveBuffer buffer;
        try {
            buffer = prefetch.take(instance);
        } catch (RetrieveBlobException e) {
            readAhead(prefetch, target, instances, index + 1);
            if (e.needsRepair()) {
                repairLog.record(instance, blobReader.pathOf(instance), e.getMessage(),
                        CommandField.name(request.commandField()).replace("-RQ", ""));
            }
            failOne(request, target, instance, e.getMessage(), progress);
            return true;
        }
        try (buffer) {
            readAhead(prefetch, target, instances, index + 1);
            return send(request, target, instance, buffer, priority, progress);
        } catch (IOException e) {
            // Only deleting the temporary copy can fail here, after the sub-operation ended.
            LOG.warn("Deleting the temporary copy of SOP Instance {} failed: {}", instance.sopInstanceUid(), e.toString());
            return true;
        }
    }

    /**
     * Starts reading the blob of instance {@code index}, if there is one and the target accepts its
     * SOP class in its stored transfer syntax. The sub-operation of an instance that the target does
     * not accept fails without reading its blob.
     */
    private static void readAhead(RetrievePrefetch prefetch, RetrieveTarget target, List<InstanceVersion> instances,
            int index) {
        if (index >= instances.size()) {
            return;
        }
        InstanceVersion instance = instances.get(index);
        if (target.unsupportedReason(instance.sopClassUid(), instance.transferSyntaxUid()) == null) {
            prefetch.start(instance);
        }
    }

    private boolean send(DimseRequest request, RetrieveTarget target, InstanceVersion instance, RetrieveBuffer buffer,
            int priority, RetrieveProgress progress) {
        String transferSyntaxUid = buffer.transferSyntaxUid();
        String reason = target.unsupportedReason(instance.sopClassUid(), transferSyntaxUid);
        if (reason != null) {
            failOne(request, target, instance, reason, progress);
            return true;
        }
        DimseResponse response;
        try (InputStream dataset = buffer.openDataset()) {
            response = target.store(instance.sopClassUid(), instance.sopInstanceUid(), transferSyntaxUid, dataset);
        } catch (IOException e) {
            failOne(request, target, instance, "the association failed: " + e.getMessage(), progress);
            return false;
        }
        if (response.status() == Status.SUCCESS) {
            progress.completed();
        } else if (Status.isWarning(response.status())) {
            progress.warning();
        } else {
            failOne(request, target, instance, "AE " + target.aeTitle() + " answered the C-STORE with " + response,
                    progress);
        }
        return true;
    }

    private void failOne(DimseRequest request, RetrieveTarget target, InstanceVersion instance, String reason,
            RetrieveProgress progress) {
        progress.failed(instance.sopInstanceUid());
        LOG.warn("{}: the C-STORE sub-operation of SOP Instance {} to AE {} failed: {}", request.association().name(),
                instance.sopInstanceUid(), target.aeTitle(), reason);
    }

    private static void failRemaining(List<InstanceVersion> remaining, RetrieveProgress progress) {
        for (InstanceVersion instance : remaining) {
            progress.failed(instance.sopInstanceUid());
        }
    }

    /**
     * Sends the final response and logs how the retrieve ended. The log line is written also when the
     * send fails, because the sub-operations ran whatever the requester did afterwards.
     */
    private void sendFinal(DimseRequest request, DimseResponder responder, RetrieveProgress progress,
            boolean cancelled, RetrieveTarget target) throws IOException {
        int status = progress.finalStatus(cancelled);
        String comment = status == RetrieveProgress.UNABLE_TO_PERFORM_SUB_OPERATIONS
                ? "All " + progress.failedCount() + " C-STORE sub-operations failed; the Arca log names each cause"
                : null;
        String ended = endSummary(request, progress, cancelled, target, status);
        try {
            responder.send(progress.finalResponse(request.command(), status, comment),
                    progress.failedListIdentifier(request.presentationContext().transferSyntax()));
        } catch (IOException e) {
            LOG.warn("{} The final response did not reach the requester in full: {}", ended, e.getMessage());
            throw e;
        }
        LOG.info(ended);
    }

    /** Formats the end line, such as "...: C-GET-RQ message 1 to AE A ended with status 0xB000: 6 completed, ...". */
    private static String endSummary(DimseRequest request, RetrieveProgress progress, boolean cancelled,
            RetrieveTarget target, int status) {
        return String.format("%s: %s message %d to AE %s ended with status 0x%04X%s: %d completed, %d failed,"
                        + " %d with warnings, %d not started.", request.association().name(),
                CommandField.name(request.commandField()), request.messageId(),
                target == null ? "(none needed)" : target.aeTitle(), status,
                cancelled ? " (cancelled by the requester)" : "", progress.completedCount(),
                progress.failedCount(), progress.warningCount(), cancelled ? progress.remaining() : 0);
    }
}
