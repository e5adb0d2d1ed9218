package org.arca.dicom.dimse;

/** The status of a DIMSE response and its Error Comment (empty when the peer sent none). */
public record DimseResponse(int status, String errorComment) {

    static DimseResponse of(CommandSet command) {
        String comment = command.getString(CommandTag.ERROR_COMMENT);
        return new DimseResponse(command.status(), comment == null ? "" : comment);
    }

    @Override
    public String toString() {
        return String.format("status 0x%04X%s", status, errorComment.isEmpty() ? "" : " (" + errorComment + ")");
    }
}
