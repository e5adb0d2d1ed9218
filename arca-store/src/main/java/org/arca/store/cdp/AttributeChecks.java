package org.arca.store.cdp;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import org.arca.dicom.data.VR;
import org.arca.store.index.UpdatableAttribute;

/**
 * Checks the keyword-value pairs of a study update against the value representations of PS3.5
 * 6.2 before anything is written. Values are Unicode text, as stored in the index. A null or
 * empty value clears the attribute, except PatientID, which identifies the patient.
 */
final class AttributeChecks {

    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);

    /** TM: HH, HHMM, HHMMSS or HHMMSS.F to HHMMSS.FFFFFF; PS3.5 allows 60 seconds for a leap second. */
    private static final Pattern TM = Pattern.compile("([01]\\d|2[0-3])([0-5]\\d(([0-5]\\d|60)(\\.\\d{1,6})?)?)?");

    private static final Pattern PATIENT_SEX = Pattern.compile("[MFO]");

    private AttributeChecks() {
    }

    static void check(String studyInstanceUid, Map<String, String> keywordValues) throws ChangeException {
        if (keywordValues == null || keywordValues.isEmpty()) {
            throw invalid("The update of Study " + studyInstanceUid + " names no attribute; give at least one of "
                    + keywordList() + " with its new value.");
        }
        for (Map.Entry<String, String> entry : keywordValues.entrySet()) {
            UpdatableAttribute attribute = UpdatableAttribute.ofKeyword(entry.getKey()).orElseThrow(() -> invalid(
                    "Unknown or not updatable attribute keyword '" + entry.getKey() + "'; use one of "
                            + keywordList() + " (DICOM keywords, case-sensitive)."));
            checkValue(attribute, entry.getValue());
        }
    }

    private static void checkValue(UpdatableAttribute attribute, String value) throws ChangeException {
        String keyword = attribute.keyword();
        if (value == null || value.isEmpty()) {
            if (attribute == UpdatableAttribute.PATIENT_ID) {
                throw invalid("PatientID must not be empty, because it identifies the patient; give the patient's"
                        + " ID.");
            }
            return;
        }
        if (attribute == UpdatableAttribute.PATIENT_SEX && !PATIENT_SEX.matcher(value).matches()) {
            throw invalid("PatientSex '" + value + "' is invalid; use M, F or O, or an empty value to clear it.");
        }
        switch (attribute.vr()) {
            case DA -> checkDate(keyword, value);
            case TM -> checkTime(keyword, value);
            case PN -> checkPersonName(keyword, value);
            default -> checkText(keyword, attribute.vr(), value);
        }
    }

    private static void checkDate(String keyword, String value) throws ChangeException {
        try {
            LocalDate.parse(value, DA);
        } catch (DateTimeParseException e) {
            throw invalid(keyword + " '" + value + "' is not a valid date (DA); use YYYYMMDD, for example 20240115.");
        }
    }

    private static void checkTime(String keyword, String value) throws ChangeException {
        if (!TM.matcher(value).matches()) {
            throw invalid(keyword + " '" + value + "' is not a valid time (TM); use HHMMSS with an optional"
                    + " fraction of up to 6 digits, for example 101500 or 101500.25.");
        }
    }

    /** PN: at most 3 component groups of at most 5 components, each group at most 64 characters. */
    private static void checkPersonName(String keyword, String value) throws ChangeException {
        checkCharacters(keyword, value);
        String[] groups = value.split("=", -1);
        if (groups.length > 3) {
            throw invalid(keyword + " '" + value + "' has " + groups.length + " component groups; a Person Name (PN)"
                    + " has at most 3 (alphabetic=ideographic=phonetic).");
        }
        for (String group : groups) {
            if (group.length() > VR.PN.maxLength()) {
                throw invalid(keyword + " '" + value + "' has a component group of " + group.length()
                        + " characters; a Person Name (PN) allows at most " + VR.PN.maxLength() + " per group.");
            }
            if (group.split("\\^", -1).length > 5) {
                throw invalid(keyword + " '" + value + "' has more than 5 components in a group; use"
                        + " Family^Given^Middle^Prefix^Suffix.");
            }
        }
    }

    private static void checkText(String keyword, VR vr, String value) throws ChangeException {
        checkCharacters(keyword, value);
        if (value.length() > vr.maxLength()) {
            throw invalid(keyword + " '" + value + "' has " + value.length() + " characters; its VR " + vr
                    + " allows at most " + vr.maxLength() + ".");
        }
    }

    /** Rejects control characters and the backslash, which would make a single value multi-valued. */
    private static void checkCharacters(String keyword, String value) throws ChangeException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || Character.isISOControl(c)) {
                throw invalid(keyword + " '" + value + "' contains the character U+"
                        + String.format("%04X", (int) c) + ", which a single value cannot hold; remove it.");
            }
        }
    }

    private static String keywordList() {
        return String.join(", ", Arrays.stream(UpdatableAttribute.values()).map(UpdatableAttribute::keyword)
                .toList());
    }

    private static ChangeException invalid(String message) {
        return new ChangeException(ChangeException.Reason.INVALID, message);
    }
}
