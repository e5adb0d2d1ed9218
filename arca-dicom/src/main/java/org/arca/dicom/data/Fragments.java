package org.arca.dicom.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The items of encapsulated Pixel Data (PS3.5 section A.4): the Basic Offset Table first, then
 * the fragments. Each entry is a {@code byte[]} or, when the reader skipped it, a {@link BulkData}.
 */
public final class Fragments {

    private final List<Object> items = new ArrayList<>();

    /** Adds a fragment, which must be a {@code byte[]} or a {@link BulkData}. */
    public void add(Object fragment) {
        if (!(fragment instanceof byte[]) && !(fragment instanceof BulkData)) {
            throw new IllegalArgumentException("A fragment must be byte[] or BulkData, not " + fragment);
        }
        items.add(fragment);
    }

    /** Returns the items: the Basic Offset Table at index 0, then the fragments. */
    public List<Object> items() {
        return Collections.unmodifiableList(items);
    }

    public int size() {
        return items.size();
    }
}
