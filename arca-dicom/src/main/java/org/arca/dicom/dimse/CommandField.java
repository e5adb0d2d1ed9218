package org.arca.dicom.dimse;

/** Command Field (0000,0100) values of PS3.7 Annex E; a response is its request | 0x8000. */
public final class CommandField {
    public static final int C_STORE_RQ = 0x0001;
    public static final int C_STORE_RSP = 0x8001;
    public static final int C_GET_RQ = 0x0010;
    public static final int C_GET_RSP = 0x8010;
    public static final int C_FIND_RQ = 0x0020;
    public static final int C_FIND_RSP = 0x8020;
    public static final int C_MOVE_RQ = 0x0021;
    public static final int C_MOVE_RSP = 0x8021;
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_ECHO_RSP = 0x8030;
    public static final int N_EVENT_REPORT_RQ = 0x0100;
    public static final int N_EVENT_REPORT_RSP = 0x8100;
    public static final int N_GET_RQ = 0x0110;
    public static final int N_GET_RSP = 0x8110;
    public static final int N_SET_RQ = 0x0120;
    public static final int N_SET_RSP = 0x8120;
    public static final int N_ACTION_RQ = 0x0130;
    public static final int N_ACTION_RSP = 0x8130;
    public static final int N_CREATE_RQ = 0x0140;
    public static final int N_CREATE_RSP = 0x8140;
    public static final int N_DELETE_RQ = 0x0150;
    public static final int N_DELETE_RSP = 0x8150;
    public static final int C_CANCEL_RQ = 0x0FFF;

    /** The Priority (0000,0700) values. */
    public static final int PRIORITY_MEDIUM = 0x0000;
    public static final int PRIORITY_HIGH = 0x0001;
    public static final int PRIORITY_LOW = 0x0002;

    private CommandField() {
    }

    /** Returns true for the request command fields PS3.7 defines (C-CANCEL included). */
    public static boolean isKnownRequest(int commandField) {
        return switch (commandField) {
            case C_STORE_RQ, C_GET_RQ, C_FIND_RQ, C_MOVE_RQ, C_ECHO_RQ, N_EVENT_REPORT_RQ, N_GET_RQ, N_SET_RQ,
                    N_ACTION_RQ, N_CREATE_RQ, N_DELETE_RQ, C_CANCEL_RQ -> true;
            default -> false;
        };
    }

    public static boolean isResponse(int commandField) {
        return (commandField & 0x8000) != 0;
    }

    /** Returns the standard name, such as "C-STORE-RQ", for log lines. */
    public static String name(int commandField) {
        String base = switch (commandField & 0x7FFF) {
            case C_STORE_RQ -> "C-STORE";
            case C_GET_RQ -> "C-GET";
            case C_FIND_RQ -> "C-FIND";
            case C_MOVE_RQ -> "C-MOVE";
            case C_ECHO_RQ -> "C-ECHO";
            case N_EVENT_REPORT_RQ -> "N-EVENT-REPORT";
            case N_GET_RQ -> "N-GET";
            case N_SET_RQ -> "N-SET";
            case N_ACTION_RQ -> "N-ACTION";
            case N_CREATE_RQ -> "N-CREATE";
            case N_DELETE_RQ -> "N-DELETE";
            case C_CANCEL_RQ -> "C-CANCEL";
            default -> String.format("command 0x%04X", commandField);
        };
        return base + (isResponse(commandField) ? "-RSP" : "-RQ");
    }
}
