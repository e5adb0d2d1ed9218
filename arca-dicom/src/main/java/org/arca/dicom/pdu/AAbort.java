package org.arca.dicom.pdu;

/**
 * An A-ABORT PDU (PS3.8 section 9.3.8).
 *
 * @param source 0 service-user, 2 service-provider
 * @param reason for source 2: 0 not specified, 1 unrecognized PDU, 2 unexpected PDU,
 *     4 unrecognized PDU parameter, 5 unexpected PDU parameter, 6 invalid PDU parameter value
 */
public record AAbort(int source, int reason) implements Pdu {
    public static final int SOURCE_SERVICE_USER = 0;
    public static final int SOURCE_SERVICE_PROVIDER = 2;

    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int REASON_UNRECOGNIZED_PDU = 1;
    public static final int REASON_UNEXPECTED_PDU = 2;
    public static final int REASON_UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int REASON_UNEXPECTED_PDU_PARAMETER = 5;
    public static final int REASON_INVALID_PDU_PARAMETER_VALUE = 6;

    /** Returns an A-ABORT from the service provider with the given reason. */
    public static AAbort byProvider(int reason) {
        return new AAbort(SOURCE_SERVICE_PROVIDER, reason);
    }

    /** Returns an A-ABORT from the service user (reason is then not significant). */
    public static AAbort byUser() {
        return new AAbort(SOURCE_SERVICE_USER, REASON_NOT_SPECIFIED);
    }

    @Override
    public int type() {
        return PduType.A_ABORT;
    }

    @Override
    public String toString() {
        return "A-ABORT[source=" + source + ", reason=" + reason + " " + reasonText() + "]";
    }

    /** Returns the standard's name of the reason. */
    public String reasonText() {
        if (source != SOURCE_SERVICE_PROVIDER) {
            return "(service-user)";
        }
        return switch (reason) {
            case REASON_UNRECOGNIZED_PDU -> "unrecognized-PDU";
            case REASON_UNEXPECTED_PDU -> "unexpected-PDU";
            case REASON_UNRECOGNIZED_PDU_PARAMETER -> "unrecognized-PDU-parameter";
            case REASON_UNEXPECTED_PDU_PARAMETER -> "unexpected-PDU-parameter";
            case REASON_INVALID_PDU_PARAMETER_VALUE -> "invalid-PDU-parameter-value";
            default -> "reason-not-specified";
        };
    }
}
