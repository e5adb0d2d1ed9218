package org.arca.store.query;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** One entity that matched a query: the stored value of each selected attribute, null when it has none. */
public final class QueryMatch {

    private final Map<QueryAttribute, String> values;

    QueryMatch(Map<QueryAttribute, String> values) {
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
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
