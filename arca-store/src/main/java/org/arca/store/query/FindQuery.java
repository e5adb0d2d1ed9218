package org.arca.store.query;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A C-FIND query against the index: the information model, the Query/Retrieve Level and the
 * matching of every supported key that the identifier contains (keys with universal matching
 * included, since they are returned too).
 *
 * @param personNameCaseInsensitive whether PN values match ignoring case
 */
public record FindQuery(InformationModel model, QueryLevel level, Map<QueryAttribute, Matching> keys,
        boolean personNameCaseInsensitive) {

    /** The maximum number of values in one key. Each is bound as an SQL parameter, and SQLite allows 32,766 per statement. */
    public static final int MAX_LIST_VALUES = 1_000;

    public FindQuery {
        EnumMap<QueryAttribute, Matching> copy = new EnumMap<>(QueryAttribute.class);
        copy.putAll(keys);
        keys = Collections.unmodifiableMap(copy);
    }

    /**
     * Builds a query after checking it against the hierarchical search rules of PS3.4 C.4.1.2.1:
     * the level must exist in the model, and the unique key of every level above it must be
     * present with a single value.
     *
     * @throws InvalidQueryException naming the level or the missing key
     */
    public static FindQuery of(InformationModel model, QueryLevel level, Map<QueryAttribute, Matching> keys,
            boolean personNameCaseInsensitive) throws InvalidQueryException {
        if (!model.hasLevel(level)) {
            throw new InvalidQueryException("Query/Retrieve Level " + level + " does not exist in the "
                    + model + " information model; use one of " + model.levels() + ".");
        }
        for (var key : keys.entrySet()) {
            if (key.getValue() instanceof Matching.ValueList list && list.values().size() > MAX_LIST_VALUES) {
                throw new InvalidQueryException("Key " + key.getKey() + " lists " + list.values().size()
                        + " values, more than the " + MAX_LIST_VALUES + " allowed; split the query.");
            }
        }
        for (QueryLevel above : model.levels()) {
            if (above == level) {
                break;
            }
            QueryAttribute uniqueKey = InformationModel.uniqueKey(above);
            if (!(keys.get(uniqueKey) instanceof Matching.SingleValue)) {
                throw new InvalidQueryException("A query at level " + level + " needs a single value in the unique"
                        + " key " + uniqueKey + " of level " + above + " (found " + describe(keys.get(uniqueKey))
                        + "); query level " + above + " first.");
            }
        }
        return new FindQuery(model, level, keys, personNameCaseInsensitive);
    }

    private static String describe(Matching matching) {
        return matching == null ? "no such key" : matching.toString();
    }

    /** Returns the matching of a key, universal when the identifier does not contain it. */
    public Matching matching(QueryAttribute attribute) {
        return keys.getOrDefault(attribute, new Matching.Universal());
    }
}
