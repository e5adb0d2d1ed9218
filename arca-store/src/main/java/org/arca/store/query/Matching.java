package org.arca.store.query;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.arca.dicom.data.VR;

/**
 * The kind of matching that the value of one key in a C-FIND identifier requests (PS3.4 C.2.2.2).
 * Values are Unicode, already decoded with the identifier's Specific Character Set.
 */
public sealed interface Matching {

    /** The VRs on which "*" and "?" are wildcards (PS3.4 C.2.2.2.4); elsewhere they are literal. */
    Set<VR> WILDCARD_VRS = EnumSet.of(VR.AE, VR.CS, VR.LO, VR.LT, VR.PN, VR.SH, VR.ST, VR.UC, VR.UR, VR.UT);

    /** The VRs on which "A-B" is a range (PS3.4 C.2.2.2.5). */
    Set<VR> RANGE_VRS = EnumSet.of(VR.DA, VR.TM, VR.DT);

    /** An empty value: every entity matches, also those without a value (C.2.2.2.3). */
    record Universal() implements Matching {
    }

    /** One value without wildcards: entities with exactly this value match (C.2.2.2.1). */
    record SingleValue(String value) implements Matching {
    }

    /** Several values separated by "\": entities with any of them match (list of UID matching, C.2.2.2.2). */
    record ValueList(List<String> values) implements Matching {
        public ValueList {
            values = List.copyOf(values);
        }
    }

    /** A value with "*" (any run of characters, also none) or "?" (one character), C.2.2.2.4. */
    record Wildcard(String pattern) implements Matching {
    }

    /** A range "A-B", "-B" or "A-" on a date, time or date-time, both ends included (C.2.2.2.5); null is open. */
    record Range(String lower, String upper) implements Matching {
    }

    /**
     * Classifies the values of one key.
     *
     * @param values the values as {@code Attributes.getStrings} returns them; null or empty for a zero-length value
     */
    static Matching parse(String[] values, VR vr) {
        if (values == null || values.length == 0 || (values.length == 1 && values[0].isEmpty())) {
            return new Universal();
        }
        if (values.length > 1) {
            return new ValueList(List.of(values));
        }

        String value = values[0];
        if (RANGE_VRS.contains(vr) && value.indexOf('-') >= 0) {
            return parseRange(value);
        }
        if (WILDCARD_VRS.contains(vr) && value.chars().allMatch(c -> c == '*')) {
            // A value of only "*" is equivalent to universal matching (C.2.2.2.4).
            return new Universal();
        }
        if (WILDCARD_VRS.contains(vr) && (value.indexOf('*') >= 0 || value.indexOf('?') >= 0)) {
            return new Wildcard(value);
        }
        return new SingleValue(value);
    }

    private static Matching parseRange(String value) {
        // NOTE: a DT bound with a UTC offset such as "-0500" is not distinguished from the range separator.
        int dash = value.indexOf('-');
        String lower = value.substring(0, dash).trim();
        String upper = value.substring(dash + 1).trim();
        if (lower.isEmpty() && upper.isEmpty()) {
            return new Universal();
        }
        return new Range(lower.isEmpty() ? null : lower, upper.isEmpty() ? null : upper);
    }
}
