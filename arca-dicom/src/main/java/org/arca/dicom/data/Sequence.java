package org.arca.dicom.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** The items of a sequence element (VR SQ); each item is a nested dataset whose parent is the enclosing one. */
public final class Sequence implements Iterable<Attributes> {

    private final Attributes parent;
    private final List<Attributes> items = new ArrayList<>();

    Sequence(Attributes parent) {
        this.parent = parent;
    }

    /** Appends a new, empty item that inherits the byte order and Specific Character Set of the parent dataset. */
    public Attributes addItem() {
        return addItem(parent.bigEndian());
    }

    /**
     * Appends a new, empty item with its own byte order. A reader needs this for items of a UN
     * sequence of undefined length, which are implicit VR little endian in any transfer syntax.
     */
    public Attributes addItem(boolean bigEndian) {
        Attributes item = new Attributes(bigEndian, parent);
        items.add(item);
        return item;
    }

    public Attributes get(int index) {
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    public List<Attributes> items() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public Iterator<Attributes> iterator() {
        return items().iterator();
    }
}
