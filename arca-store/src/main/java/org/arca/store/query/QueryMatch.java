package org.arca.store.query;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** One entity that matched a query: the stored value of each selected attribute, null when it has none. */
public final class QueryMatch {

    private final Map<QueryAttribute, String> values;

    private QueryMatch(Map<QueryAttribute, String> values) {
        Map<QueryAttribute, String> copy = new EnumMap<>(QueryAttribute.class);
        copy.putAll(values);
        this.values = Collections.unmodifiableMap(copy);
    }

    /** Returns a match with these values; null values stand for attributes the entity has no value for. */
    public static QueryMatch of(Map<QueryAttribute, String> values) {
        return new QueryMatch(values);
    }

    /** Returns the value, or null when the entity has none or the query did not select the attribute. */
    public String value(QueryAttribute attribute) {
        return values.get(attribute);
    }

    public boolean selected(QueryAttribute attribute) {
        return values.containsKey(attribute);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
