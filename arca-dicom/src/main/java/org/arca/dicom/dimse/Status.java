package org.arca.dicom.dimse;

/** Status (0000,0900) values of PS3.7 Annex C and the service classes of PS3.4. */
public final class Status {
    public static final int SUCCESS = 0x0000;
    public static final int CANCEL = 0xFE00;
    public static final int PENDING = 0xFF00;
    public static final int PENDING_WARNING = 0xFF01;

    /** C-STORE warnings (PS3.4 Table B.2-1). */
    public static final int COERCION_OF_DATA_ELEMENTS = 0xB000;
    public static final int ELEMENTS_DISCARDED = 0xB006;
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS_WARNING = 0xB007;

    /** C-FIND, C-MOVE and C-GET statuses (PS3.4 C.4.1.1.4, C.4.2.1.5 and C.4.3.1.4). */
    public static final int SUB_OPERATIONS_COMPLETE_WITH_FAILURES = 0xB000;
    public static final int UNABLE_TO_CALCULATE_NUMBER_OF_MATCHES = 0xA701;
    public static final int UNABLE_TO_PERFORM_SUB_OPERATIONS = 0xA702;
    public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    public static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;

    /** Failures. */
    public static final int OUT_OF_RESOURCES = 0xA700;
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    public static final int CANNOT_UNDERSTAND = 0xC000;
    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    public static final int NO_SUCH_SOP_INSTANCE = 0x0112;
    public static final int INVALID_ARGUMENT_VALUE = 0x0115;
    public static final int INVALID_ATTRIBUTE_VALUE = 0x0106;
    public static final int INVALID_OBJECT_INSTANCE = 0x0117;
    public static final int NO_SUCH_SOP_CLASS = 0x0118;
    public static final int CLASS_INSTANCE_CONFLICT = 0x0119;
    public static final int MISSING_ATTRIBUTE = 0x0120;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int NOT_AUTHORIZED = 0x0124;
    public static final int DUPLICATE_INVOCATION = 0x0210;
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    public static final int MISTYPED_ARGUMENT = 0x0212;
    public static final int RESOURCE_LIMITATION = 0x0213;

    private Status() {
    }

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }

    /** Returns true for the warning statuses: 0x0001 and 0xBxxx. */
    public static boolean isWarning(int status) {
        return status == 0x0001 || (status & 0xF000) == 0xB000;
    }

    /** Returns true for a failure: anything that is not success, a warning, pending or cancel. */
    public static boolean isFailure(int status) {
        return status != SUCCESS && status != CANCEL && !isPending(status) && !isWarning(status);
    }
}
