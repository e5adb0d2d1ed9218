package org.arca.dicom.dimse;

/**
 * A failed DIMSE operation with the status and Error Comment (0000,0902) to send in the
 * response. The comment is cut to the 64 characters an LO value may have.
 */
public class DimseException extends Exception {
    /** The maximum length of the Error Comment, an LO value. */
    public static final int MAX_ERROR_COMMENT_LENGTH = 64;

    private final int status;
    private final String errorComment;

    public DimseException(int status, String errorComment) {
        this(status, errorComment, null);
    }

    public DimseException(int status, String errorComment, Throwable cause) {
        super(String.format("status 0x%04X: %s", status, errorComment), cause);
        this.status = status;
        this.errorComment = truncate(errorComment);
    }

    public int status() {
        return status;
    }

    /** Returns the error comment, at most 64 ASCII characters, without backslashes. */
    public String errorComment() {
        return errorComment;
    }

    static String truncate(String comment) {
        if (comment == null) {
            return "";
        }
        String ascii = comment.replaceAll("[^\\x20-\\x7E]", "?").replace('\\', '/');
        return ascii.length() <= MAX_ERROR_COMMENT_LENGTH ? ascii : ascii.substring(0, MAX_ERROR_COMMENT_LENGTH);
    }
}
