package org.arca.dicom.dimse;

/**
 * The Number of Remaining, Completed, Failed and Warning Sub-operations of a C-MOVE or C-GET
 * response (PS3.7 sections 9.3.3.2 and 9.3.4.2). A count is -1 when the response lacks it.
 * Final responses other than Cancel carry no remaining count.
 */
public record SubOperationCounts(int remaining, int completed, int failed, int warning) {

    public static final SubOperationCounts NONE = new SubOperationCounts(-1, -1, -1, -1);

    /** Returns the counts of a response command; absent ones are -1. */
    public static SubOperationCounts of(CommandSet command) {
        return new SubOperationCounts(command.getInt(CommandTag.NUMBER_OF_REMAINING_SUBOPERATIONS, -1),
                command.getInt(CommandTag.NUMBER_OF_COMPLETED_SUBOPERATIONS, -1),
                command.getInt(CommandTag.NUMBER_OF_FAILED_SUBOPERATIONS, -1),
                command.getInt(CommandTag.NUMBER_OF_WARNING_SUBOPERATIONS, -1));
    }

    /** Returns these counts with each absent one taken from {@code earlier}. */
    public SubOperationCounts orElse(SubOperationCounts earlier) {
        return new SubOperationCounts(remaining >= 0 ? remaining : earlier.remaining,
                completed >= 0 ? completed : earlier.completed, failed >= 0 ? failed : earlier.failed,
                warning >= 0 ? warning : earlier.warning);
    }

    /**
     * Returns the final status these counts call for (PS3.4 C.4.2.1.5 and C.4.3.1.4): Success
     * if no sub-operation failed or warned, 0xA702 if all of them failed, otherwise 0xB000.
     */
    public int finalStatus() {
        if (Math.max(failed, 0) == 0 && Math.max(warning, 0) == 0) {
            return Status.SUCCESS;
        }
        if (Math.max(completed, 0) == 0 && Math.max(warning, 0) == 0) {
            return Status.UNABLE_TO_PERFORM_SUB_OPERATIONS;
        }
        return Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES;
    }

    /** Puts the counts that are not -1 into a response command; {@code withRemaining} false omits the remaining count. */
    void putInto(CommandSet command, boolean withRemaining) {
        if (withRemaining && remaining >= 0) {
            command.putUS(CommandTag.NUMBER_OF_REMAINING_SUBOPERATIONS, remaining);
        }
        if (completed >= 0) {
            command.putUS(CommandTag.NUMBER_OF_COMPLETED_SUBOPERATIONS, completed);
        }
        if (failed >= 0) {
            command.putUS(CommandTag.NUMBER_OF_FAILED_SUBOPERATIONS, failed);
        }
        if (warning >= 0) {
            command.putUS(CommandTag.NUMBER_OF_WARNING_SUBOPERATIONS, warning);
        }
    }
}
