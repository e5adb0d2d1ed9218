package org.arca.dicom.dimse;

/**
 * The final response to a C-MOVE-RQ or C-GET-RQ.
 *
 * @param counts the sub-operation counts of the final response. A count it lacks is taken
 *     from the last pending response, and is -1 if no response carried it
 * @param failedSopInstanceUidList the data set of the final response, which holds the Failed
 *     SOP Instance UID List (0008,0058), in the context's transfer syntax, or null when absent
 */
public record RetrieveResponse(int status, String errorComment, SubOperationCounts counts,
        byte[] failedSopInstanceUidList) {

    @Override
    public String toString() {
        return String.format("status 0x%04X%s, %s", status, errorComment.isEmpty() ? "" : " (" + errorComment + ")",
                counts);
    }
}
