package org.arca.server.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;

/**
 * The unique keys of a C-MOVE or C-GET identifier (PS3.4 C.4.2.2.1 and C.4.3.2.1): the Query/Retrieve
 * Level and the UIDs at and above it. A list of UIDs is allowed at the level itself; the keys above it
 * narrow the match.
 *
 * @param patientId the PatientID of a PATIENT level retrieve, or the one given above a lower level, or null
 * @param studyInstanceUids the studies to retrieve (STUDY) or the study that contains the series or
 *     instances (empty when not given)
 * @param seriesInstanceUids the series to retrieve (SERIES) or the series that contains the instances
 * @param sopInstanceUids the instances to retrieve (IMAGE)
 */
record RetrieveKeys(RetrieveLevel level, String patientId, List<String> studyInstanceUids,
        List<String> seriesInstanceUids, List<String> sopInstanceUids) {

    /** Status 0xA900: Identifier does not match SOP Class (PS3.4 Tables C.4-2 and C.4-3). */
    static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;

    /** The largest identifier value read, in bytes: room for about 60,000 UIDs in one list. */
    private static final long MAX_IDENTIFIER_VALUE_LENGTH = 4L << 20;

    /** Reads the identifier of a request in the transfer syntax of its presentation context. */
    static Attributes readIdentifier(InputStream dataset, String transferSyntaxUid) throws DimseException {
        ReadOptions options = new ReadOptions(Long.MAX_VALUE, MAX_IDENTIFIER_VALUE_LENGTH, 8);
        try {
            return new DicomInputStream(dataset, TransferSyntax.of(transferSyntaxUid)).readDataset(options);
        } catch (IOException | RuntimeException e) {
            throw new DimseException(IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
                    "The identifier cannot be parsed: " + e.getMessage());
        }
    }

    /**
     * Extracts the keys.
     *
     * @param patientRoot true for the Patient Root information model, which allows the PATIENT level
     * @throws DimseException with status 0xA900 when the level is missing or unknown, or a unique key of
     *     the level is missing
     */
    static RetrieveKeys of(Attributes identifier, boolean patientRoot) throws DimseException {
        String levelText = identifier.getString(Tag.QueryRetrieveLevel);
        RetrieveLevel level = RetrieveLevel.of(levelText, patientRoot);
        if (level == null) {
            throw new DimseException(IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "Query/Retrieve Level '" + levelText
                    + "' is not supported; use " + (patientRoot ? "PATIENT, " : "") + "STUDY, SERIES or IMAGE.");
        }
        RetrieveKeys keys = new RetrieveKeys(level, blankToNull(identifier.getString(Tag.PatientID)),
                uids(identifier, Tag.StudyInstanceUID), uids(identifier, Tag.SeriesInstanceUID),
                uids(identifier, Tag.SOPInstanceUID));
        keys.requireUniqueKeyOfLevel();
        return keys;
    }

    private void requireUniqueKeyOfLevel() throws DimseException {
        boolean present = switch (level) {
            case PATIENT -> patientId != null;
            case STUDY -> !studyInstanceUids.isEmpty();
            case SERIES -> !seriesInstanceUids.isEmpty();
            case IMAGE -> !sopInstanceUids.isEmpty();
        };
        if (!present) {
            throw new DimseException(IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "A " + level + " level retrieve needs "
                    + level.uniqueKeyName() + " in its identifier.");
        }
    }

    private static List<String> uids(Attributes identifier, int tag) {
        String[] values = identifier.getStrings(tag);
        if (values == null) {
            return List.of();
        }
        return java.util.Arrays.stream(values).map(String::strip).filter(value -> !value.isEmpty()).distinct()
                .toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Returns the keys for log lines, such as "STUDY level, StudyInstanceUID [1.2.3]". */
    String describe() {
        return switch (level) {
            case PATIENT -> "PATIENT level, PatientID " + patientId;
            case STUDY -> "STUDY level, StudyInstanceUID " + studyInstanceUids;
            case SERIES -> "SERIES level, SeriesInstanceUID " + seriesInstanceUids;
            case IMAGE -> "IMAGE level, SOPInstanceUID " + sopInstanceUids;
        };
    }
}
