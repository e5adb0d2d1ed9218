package org.arca.store.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.arca.dicom.data.VR;

/**
 * The SQL statement of one C-FIND query against the index, with its positional parameters and
 * the attributes its columns hold, in order.
 *
 * <p>Only current versions of visible (not deleted) instances take part: an IMAGE row is the
 * current version of a SOP Instance, and a series, study or patient matches only while it has at
 * least one visible instance.
 * Wildcards become SQLite GLOB patterns, which compare case-sensitively. A literal "[" in a
 * value is escaped as "[[]". "%" and "_" need no escape, because GLOB does not treat them as
 * wildcards. A pattern with a fixed prefix also gets a range on that prefix, so that SQLite
 * can search an index.
 */
public record FindSql(String sql, List<Object> parameters, List<QueryAttribute> columns) {

    /** The function that upper-cases a Person Name in SQL the way the index does; {@link FindQueries} registers it. */
    static final String UPPER_FUNCTION = "arca_upper";

    /**
     * U+10FFFF, the highest code point. SQLite's BINARY collation compares UTF-8 bytes, so every
     * string that starts with a prefix sorts below prefix + U+10FFFF.
     */
    static final String MAX_CODE_POINT = new String(Character.toChars(Character.MAX_CODE_POINT));

    public FindSql {
        parameters = List.copyOf(parameters);
        columns = List.copyOf(columns);
    }

    /** Builds the statement of a query; the keys that the level does not have are not matched. */
    public static FindSql build(FindQuery query) {
        List<QueryAttribute> columns = selectedColumns(query);
        List<String> conditions = new ArrayList<>();
        conditions.add(currentOnlyCondition(query.level()));
        List<Object> parameters = new ArrayList<>();
        for (var key : query.keys().entrySet()) {
            if (key.getKey().isAvailableAt(query.level(), query.model())) {
                addCondition(key.getKey(), key.getValue(), query.personNameCaseInsensitive(), conditions, parameters);
            }
        }

        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(columns.get(i).column());
        }
        sql.append(' ').append(from(query.level())).append(" WHERE ").append(String.join(" AND ", conditions));
        return new FindSql(sql.toString(), parameters, columns);
    }

    /** Selects every attribute of the level and above; the counts, which cost a subquery, only when requested. */
    private static List<QueryAttribute> selectedColumns(FindQuery query) {
        List<QueryAttribute> columns = new ArrayList<>();
        for (QueryAttribute attribute : QueryAttribute.values()) {
            boolean requested = attribute.kind() != QueryAttribute.Kind.COUNT || query.keys().containsKey(attribute);
            if (requested && attribute.isAvailableAt(query.level(), query.model())) {
                columns.add(attribute);
            }
        }
        return columns;
    }

    private static String from(QueryLevel level) {
        String patients = " JOIN patients p ON p.patient_key = s.patient_key";
        return switch (level) {
            case PATIENT -> "FROM patients p";
            case STUDY -> "FROM studies s" + patients;
            case SERIES -> "FROM series se JOIN studies s ON s.study_key = se.study_key" + patients;
            case IMAGE -> "FROM instances i JOIN instance_versions v ON v.version_key = i.current_version_key"
                    + " JOIN series se ON se.series_key = i.series_key"
                    + " JOIN studies s ON s.study_key = se.study_key" + patients;
        };
    }

    /**
     * Leaves out deleted instances, and the entities without a visible instance: those whose
     * instances are all deleted or all moved elsewhere in newer versions. The counts of studies and
     * series include visible instances only, so a count above 0 means "has a visible instance".
     */
    private static String currentOnlyCondition(QueryLevel level) {
        return switch (level) {
            case PATIENT -> "EXISTS (SELECT 1 FROM studies cs WHERE cs.patient_key = p.patient_key"
                    + " AND cs.number_of_instances > 0)";
            case STUDY -> "s.number_of_instances > 0";
            case SERIES -> "se.number_of_instances > 0";
            case IMAGE -> "i.deleted_sequence IS NULL";
        };
    }

    private static void addCondition(QueryAttribute attribute, Matching matching, boolean caseInsensitive,
            List<String> conditions, List<Object> parameters) {
        if (matching instanceof Matching.Universal || attribute.kind() == QueryAttribute.Kind.COUNT) {
            return;
        }
        String condition = switch (attribute.kind()) {
            case PERSON_NAME -> anyOf(values(matching), v -> personName(attribute, v, caseInsensitive, parameters));
            case MODALITIES -> anyOf(values(matching), v -> modality(attribute, v, parameters));
            default -> plain(attribute, matching, parameters);
        };
        conditions.add(condition);
    }

    /** A value of a PN or ModalitiesInStudy key, with whether "*" and "?" in it are wildcards. */
    private record Value(String text, boolean wildcards) {
    }

    private static List<Value> values(Matching matching) {
        if (matching instanceof Matching.SingleValue single) {
            return List.of(new Value(single.value(), false));
        }
        if (matching instanceof Matching.Wildcard wildcard) {
            return List.of(new Value(wildcard.pattern(), true));
        }
        if (matching instanceof Matching.ValueList list) {
            return list.values().stream()
                    .map(v -> new Value(v, v.indexOf('*') >= 0 || v.indexOf('?') >= 0)).toList();
        }
        throw new IllegalArgumentException("Matching " + matching + " does not apply to a PN or CS value.");
    }

    private interface ValueCondition {
        String of(Value value);
    }

    private static String anyOf(List<Value> values, ValueCondition condition) {
        List<String> alternatives = new ArrayList<>();
        for (Value value : values) {
            alternatives.add(condition.of(value));
        }
        return alternatives.size() == 1 ? alternatives.get(0) : "(" + String.join(" OR ", alternatives) + ")";
    }

    private static String plain(QueryAttribute attribute, Matching matching, List<Object> parameters) {
        String column = attribute.column();
        if (matching instanceof Matching.SingleValue single) {
            parameters.add(single.value());
            return column + " = ?";
        }
        if (matching instanceof Matching.ValueList list) {
            parameters.addAll(list.values());
            return column + " IN (" + String.join(", ", Collections.nCopies(list.values().size(), "?")) + ")";
        }
        if (matching instanceof Matching.Wildcard wildcard) {
            return globWithPrefixRange(column, wildcard.pattern(), parameters);
        }
        if (matching instanceof Matching.Range range) {
            return range(attribute, range, parameters);
        }
        throw new IllegalArgumentException("Universal matching " + matching + " has no condition.");
    }

    // NOTE: StudyDate and StudyTime ranges are matched each on its own, not as the one combined
    // date-time range of PS3.4 C.2.2.2.5, so "20240101-20240102" with "2300-0100" finds nothing.
    private static String range(QueryAttribute attribute, Matching.Range range, List<Object> parameters) {
        List<String> bounds = new ArrayList<>();
        if (range.lower() != null) {
            bounds.add(attribute.column() + " >= ?");
            parameters.add(range.lower());
        }
        if (range.upper() != null) {
            bounds.add(attribute.column() + " <= ?");
            // A shorter upper bound such as TM "12" includes every time that starts with it (12:59:59.9 too).
            parameters.add(attribute.vr() == VR.DA ? range.upper() : range.upper() + MAX_CODE_POINT);
        }
        return "(" + String.join(" AND ", bounds) + ")";
    }

    private static String globWithPrefixRange(String column, String pattern, List<Object> parameters) {
        String prefix = literalPrefix(pattern);
        String glob = column + " GLOB ?";
        parameters.add(glob(pattern, true));
        if (prefix.isEmpty()) {
            return glob;
        }
        parameters.add(prefix);
        parameters.add(prefix + MAX_CODE_POINT);
        return "(" + glob + " AND " + column + " >= ? AND " + column + " < ?)";
    }

    /**
     * Matches a Person Name. A value of ASCII characters only matches the whole stored name or its
     * first (alphabetic) component group, through the index on the upper-cased name. Any other
     * value matches any component group, and the whole name, by scanning: its ideographic or
     * phonetic text may stand in the second or third group.
     */
    private static String personName(QueryAttribute attribute, Value value, boolean caseInsensitive,
            List<Object> parameters) {
        String column = personNameColumn(attribute, caseInsensitive);
        String text = caseInsensitive ? value.text().toUpperCase(Locale.ROOT) : value.text();
        String pattern = glob(text, value.wildcards());
        boolean asciiOnly = text.chars().allMatch(c -> c < 0x80) && text.indexOf('=') < 0;
        if (!asciiOnly) {
            parameters.add("*=" + pattern + "=*");
            return "('=' || " + column + " || '=') GLOB ?";
        }

        String prefix = value.wildcards() ? literalPrefix(text) : text;
        parameters.add(pattern);
        parameters.add(pattern + "=*");
        String groups = "(" + column + " GLOB ? OR " + column + " GLOB ?)";
        if (prefix.isEmpty()) {
            return groups;
        }
        parameters.add(prefix);
        parameters.add(prefix + MAX_CODE_POINT);
        return "(" + groups + " AND " + column + " >= ? AND " + column + " < ?)";
    }

    private static String personNameColumn(QueryAttribute attribute, boolean caseInsensitive) {
        if (!caseInsensitive) {
            return attribute.column();
        }
        // The patients table keeps an upper-cased copy with an index; other names are upper-cased on the fly.
        return attribute == QueryAttribute.PATIENT_NAME ? "p.patient_name_upper"
                : UPPER_FUNCTION + "(" + attribute.column() + ")";
    }

    private static String modality(QueryAttribute attribute, Value value, List<Object> parameters) {
        parameters.add("*\\" + glob(value.text(), value.wildcards()) + "\\*");
        return "('\\' || " + attribute.column() + " || '\\') GLOB ?";
    }

    /** Returns the characters before the first wildcard. */
    static String literalPrefix(String pattern) {
        int end = 0;
        while (end < pattern.length() && pattern.charAt(end) != '*' && pattern.charAt(end) != '?') {
            end++;
        }
        return pattern.substring(0, end);
    }

    /**
     * Translates a value to a GLOB pattern. With {@code wildcards}, "*" and "?" keep their meaning;
     * otherwise they are literal. "[" is always literal.
     */
    static String glob(String value, boolean wildcards) {
        StringBuilder pattern = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '[' || (!wildcards && (c == '*' || c == '?'))) {
                pattern.append('[').append(c).append(']');
            } else {
                pattern.append(c);
            }
        }
        return pattern.toString();
    }
}
