package org.arca.dicom.pdu;

/**
 * An A-ASSOCIATE-RJ PDU (PS3.8 section 9.3.4, reasons in Table 9-21).
 *
 * @param result 1 rejected-permanent, 2 rejected-transient
 * @param source 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation)
 * @param reason meaning depends on the source, see the constants
 */
public record AAssociateRj(int result, int source, int reason) implements Pdu {
    public static final int RESULT_PERMANENT = 1;
    public static final int RESULT_TRANSIENT = 2;

    public static final int SOURCE_SERVICE_USER = 1;
    public static final int SOURCE_SERVICE_PROVIDER_ACSE = 2;
    public static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;

    /** Reasons of source 1, service-user. */
    public static final int USER_NO_REASON_GIVEN = 1;
    public static final int USER_APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
    public static final int USER_CALLING_AE_TITLE_NOT_RECOGNIZED = 3;
    public static final int USER_CALLED_AE_TITLE_NOT_RECOGNIZED = 7;

    /** Reasons of source 2, service-provider (ACSE). */
    public static final int ACSE_NO_REASON_GIVEN = 1;
    public static final int ACSE_PROTOCOL_VERSION_NOT_SUPPORTED = 2;

    /** Reasons of source 3, service-provider (presentation). */
    public static final int PRESENTATION_TEMPORARY_CONGESTION = 1;
    public static final int PRESENTATION_LOCAL_LIMIT_EXCEEDED = 2;

    @Override
    public int type() {
        return PduType.A_ASSOCIATE_RJ;
    }

    @Override
    public String toString() {
        return "A-ASSOCIATE-RJ[result=" + result + ", source=" + source + ", reason=" + reason
                + " " + reasonText() + "]";
    }

    /** Returns the standard's name of the reason. */
    public String reasonText() {
        if (source == SOURCE_SERVICE_USER) {
            return switch (reason) {
                case USER_APPLICATION_CONTEXT_NOT_SUPPORTED -> "application-context-name-not-supported";
                case USER_CALLING_AE_TITLE_NOT_RECOGNIZED -> "calling-AE-title-not-recognized";
                case USER_CALLED_AE_TITLE_NOT_RECOGNIZED -> "called-AE-title-not-recognized";
                default -> "no-reason-given";
            };
        }
        if (source == SOURCE_SERVICE_PROVIDER_ACSE) {
            return reason == ACSE_PROTOCOL_VERSION_NOT_SUPPORTED ? "protocol-version-not-supported" : "no-reason-given";
        }
        return reason == PRESENTATION_LOCAL_LIMIT_EXCEEDED ? "local-limit-exceeded" : "temporary-congestion";
    }
}
