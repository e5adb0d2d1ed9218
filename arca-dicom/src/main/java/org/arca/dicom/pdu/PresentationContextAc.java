package org.arca.dicom.pdu;

/**
 * A presentation context item of an A-ASSOCIATE-AC (PS3.8 section 9.3.3.2).
 *
 * @param result 0 acceptance, 1 user-rejection, 2 no-reason (provider rejection),
 *     3 abstract-syntax-not-supported, 4 transfer-syntaxes-not-supported
 * @param transferSyntax the accepted transfer syntax; not significant unless result is 0
 */
public record PresentationContextAc(int id, int result, String transferSyntax) {
    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    /** Returns true if the acceptor accepted this context. */
    public boolean accepted() {
        return result == ACCEPTANCE;
    }
}
