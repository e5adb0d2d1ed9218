package org.arca.cli;

import java.io.PrintWriter;
import org.arca.dicom.dimse.RetrieveResponse;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.dimse.SubOperationCounts;

/** Prints the final C-MOVE or C-GET response and chooses the exit code. */
final class RetrieveOutcome {

    private RetrieveOutcome() {
    }

    /** Returns 0 for Success, 1 for a warning (some sub-operations failed) or a failure. */
    static int report(PrintWriter err, String operation, PeerOptions peer, RetrieveResponse response) {
        SubOperationCounts counts = response.counts();
        String summary = String.format("%s with %s: status 0x%04X%s; %d completed, %d failed, %d with warnings.",
                operation, peer.describe(), response.status(),
                response.errorComment().isEmpty() ? "" : " (" + response.errorComment() + ")",
                Math.max(counts.completed(), 0), Math.max(counts.failed(), 0), Math.max(counts.warning(), 0));
        if (response.status() == Status.SUCCESS) {
            err.println(summary);
            err.flush();
            return 0;
        }
        err.println("arca: " + summary);
        err.flush();
        return ErrorHandler.EXIT_FAILURE;
    }
}
