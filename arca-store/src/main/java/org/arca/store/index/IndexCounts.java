package org.arca.store.index;

/**
 * Number of rows at each level of the index; {@code versions} counts every stored version. Deleted
 * instances and the rows above them are counted too, because their rows stay.
 */
public record IndexCounts(long patients, long studies, long series, long instances, long versions) {
}
