package org.arca.server.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.dimse.CommandSet;
import org.arca.dicom.dimse.CommandTag;
import org.arca.dicom.dimse.Responses;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;

/**
 * The sub-operation counts of one C-MOVE or C-GET and the responses that report them
 * (PS3.4 C.4.2.1.4 and C.4.3.1.4). Not thread-safe: the service thread owns it.
 */
final class RetrieveProgress {

    /** Status 0xA702: Refused, Out of Resources, Unable to perform sub-operations; sent when every one failed. */
    static final int UNABLE_TO_PERFORM_SUB_OPERATIONS = 0xA702;
    /** Status 0xB000: Sub-operations complete, one or more failures or warnings. */
    static final int SUB_OPERATIONS_FAILED_OR_WARNING = 0xB000;

    /** UI values have a 16-bit length in explicit VR, so the Failed SOP Instance UID List must fit in it. */
    private static final int MAX_FAILED_LIST_BYTES = 0xFFFE;

    private int remaining;
    private int completed;
    private int failed;
    private int warning;
    private final List<String> failedSopInstanceUids = new ArrayList<>();

    RetrieveProgress(int total) {
        this.remaining = total;
    }

    void completed() {
        remaining--;
        completed++;
    }

    void warning() {
        remaining--;
        warning++;
    }

    void failed(String sopInstanceUid) {
        remaining--;
        failed++;
        failedSopInstanceUids.add(sopInstanceUid);
    }

    int remaining() {
        return remaining;
    }

    int completedCount() {
        return completed;
    }

    int failedCount() {
        return failed;
    }

    int warningCount() {
        return warning;
    }

    List<String> failedSopInstanceUids() {
        return List.copyOf(failedSopInstanceUids);
    }

    /** Returns the final status: Cancel, Success, Warning 0xB000, or 0xA702 when every sub-operation failed. */
    int finalStatus(boolean cancelled) {
        if (cancelled) {
            return Status.CANCEL;
        }
        if (failed == 0 && warning == 0) {
            return Status.SUCCESS;
        }
        return completed == 0 && warning == 0 ? UNABLE_TO_PERFORM_SUB_OPERATIONS : SUB_OPERATIONS_FAILED_OR_WARNING;
    }

    /** Builds a Pending response with all four counts. */
    CommandSet pendingResponse(CommandSet request) {
        CommandSet response = Responses.responseTo(request, Status.PENDING, null);
        response.putUS(CommandTag.NUMBER_OF_REMAINING_SUBOPERATIONS, remaining);
        return putCompletedCounts(response);
    }

    /**
     * Builds the final response. Number of Remaining Sub-operations is sent only with Cancel,
     * as PS3.4 C.4.2.1.4 allows for the final response.
     */
    CommandSet finalResponse(CommandSet request, int status, String errorComment) {
        CommandSet response = Responses.responseTo(request, status, errorComment);
        if (status == Status.CANCEL) {
            response.putUS(CommandTag.NUMBER_OF_REMAINING_SUBOPERATIONS, remaining);
        }
        return putCompletedCounts(response);
    }

    private CommandSet putCompletedCounts(CommandSet response) {
        return response.putUS(CommandTag.NUMBER_OF_COMPLETED_SUBOPERATIONS, completed)
                .putUS(CommandTag.NUMBER_OF_FAILED_SUBOPERATIONS, failed)
                .putUS(CommandTag.NUMBER_OF_WARNING_SUBOPERATIONS, warning);
    }

    /**
     * Encodes the identifier of the final response, a Failed SOP Instance UID List (0008,0058),
     * in the transfer syntax of the request's presentation context. Returns null when none failed.
     */
    InputStream failedListIdentifier(String transferSyntaxUid) throws IOException {
        if (failedSopInstanceUids.isEmpty()) {
            return null;
        }
        Attributes identifier = new Attributes();
        identifier.setString(Tag.FailedSOPInstanceUIDList, VR.UI, fittingFailedUids().toArray(String[]::new));
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        new DicomOutputStream(encoded).writeDataset(identifier, TransferSyntax.of(transferSyntaxUid));
        return new java.io.ByteArrayInputStream(encoded.toByteArray());
    }

    // TODO: send the UIDs beyond the 16-bit value length too, once the counts alone are not enough for callers.
    private List<String> fittingFailedUids() {
        List<String> fitting = new ArrayList<>();
        int bytes = 0;
        for (String uid : failedSopInstanceUids) {
            bytes += uid.length() + 1;
            if (bytes > MAX_FAILED_LIST_BYTES) {
                break;
            }
            fitting.add(uid);
        }
        return fitting;
    }
}
