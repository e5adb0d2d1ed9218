package org.arca.dicom.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.TreeMap;
import org.arca.dicom.charset.SpecificCharacterSet;

/**
 * A dataset: data elements ordered by tag (as unsigned 32-bit numbers, the order PS3.5 section
 * 7.1 requires). Byte values are kept as encoded, in the dataset's byte order, and the getters decode
 * them. Text VRs decode with the Specific Character Set (0008,0005) of this dataset or, for a
 * sequence item without one, of the enclosing dataset. Not thread-safe.
 */
public final class Attributes implements Iterable<DataElement> {

    private final TreeMap<Integer, DataElement> elements = new TreeMap<>(Integer::compareUnsigned);
    private final boolean bigEndian;
    private final Attributes parent;

    /** Creates an empty little endian dataset. */
    public Attributes() {
        this(false, null);
    }

    public Attributes(boolean bigEndian) {
        this(bigEndian, null);
    }

    Attributes(boolean bigEndian, Attributes parent) {
        this.bigEndian = bigEndian;
        this.parent = parent;
    }

    /** Returns whether binary values are stored big endian. */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** Returns the dataset that contains this sequence item, or null for a top-level dataset. */
    public Attributes parent() {
        return parent;
    }

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** Returns the element with the tag, or null. */
    public DataElement get(int tag) {
        return elements.get(tag);
    }

    /** Returns the VR of the element, or null when it is absent. */
    public VR getVR(int tag) {
        DataElement element = elements.get(tag);
        return element != null ? element.vr() : null;
    }

    /** Returns the raw value bytes, or null when the element is absent or its value is not bytes. */
    public byte[] getBytes(int tag) {
        DataElement element = elements.get(tag);
        return element != null && element.value() instanceof byte[] bytes ? bytes : null;
    }

    public Sequence getSequence(int tag) {
        DataElement element = elements.get(tag);
        return element != null && element.value() instanceof Sequence sequence ? sequence : null;
    }

    public Fragments getFragments(int tag) {
        DataElement element = elements.get(tag);
        return element != null && element.value() instanceof Fragments fragments ? fragments : null;
    }

    public BulkData getBulkData(int tag) {
        DataElement element = elements.get(tag);
        return element != null && element.value() instanceof BulkData bulk ? bulk : null;
    }

    /** Returns the first value as a string with trailing spaces and NULs removed, or null when absent or empty. */
    public String getString(int tag) {
        String[] values = getStrings(tag);
        return values != null && values.length > 0 ? values[0] : null;
    }

    /**
     * Returns all values as strings, each with trailing spaces and NULs removed (leading spaces
     * too, except for the text VRs LT, ST, UT, UC where they are significant). Binary numbers
     * (US, SS, UL, SL, FL, FD) come back as decimal text, and a UN value of a standard
     * string element is decoded as that element's VR. Returns null when absent or not decodable
     * as text, and an empty array for an empty value.
     */
    public String[] getStrings(int tag) {
        DataElement element = elements.get(tag);
        if (element == null || !(element.value() instanceof byte[] bytes)) {
            return null;
        }
        VR vr = element.vr();
        if (vr == VR.UN && ElementDictionary.vrOf(tag).isString()) {
            // A UN value of a standard string element keeps its string encoding (PS3.5 6.2.2).
            vr = ElementDictionary.vrOf(tag);
        }
        if (vr.isString()) {
            return ValueCodec.splitStrings(decodeText(bytes, vr), vr);
        }
        return ValueCodec.binaryToStrings(bytes, vr, byteOrder());
    }

    /** Returns the first value as an int (binary integer VRs, IS or DS truncated), or {@code defaultValue}. */
    public int getInt(int tag, int defaultValue) {
        DataElement element = elements.get(tag);
        if (element == null || !(element.value() instanceof byte[] bytes) || bytes.length == 0) {
            return defaultValue;
        }
        Long value = ValueCodec.firstInteger(bytes, element.vr(), byteOrder());
        if (value == null) {
            String text = getString(tag);
            return ValueCodec.parseIntOr(text, defaultValue);
        }
        return value.intValue();
    }

    /** Returns the Specific Character Set in effect for this dataset, inherited from enclosing datasets. */
    public SpecificCharacterSet specificCharacterSet() {
        for (Attributes dataset = this; dataset != null; dataset = dataset.parent) {
            byte[] value = dataset.getBytes(Tag.SpecificCharacterSet);
            if (value != null) {
                String text = new String(value, StandardCharsets.ISO_8859_1);
                // Value 1 may be empty ("\ISO 2022 IR 87"), so empty values stay and only padding goes.
                String[] terms = text.indexOf('\\') >= 0 ? text.split("\\\\", -1) : new String[] {text};
                for (int i = 0; i < terms.length; i++) {
                    terms[i] = terms[i].trim();
                }
                return SpecificCharacterSet.valueOf(terms);
            }
        }
        return SpecificCharacterSet.DEFAULT;
    }

    /** Sets a string value (multiple values joined by "\"), encoded with the dataset's character set and padded to even length. */
    public void setString(int tag, VR vr, String... values) {
        String joined = String.join("\\", values);
        byte[] encoded = vr.kind() == VR.Kind.TEXT
                ? specificCharacterSet().encode(joined, vr)
                : joined.getBytes(StandardCharsets.ISO_8859_1);
        setBytes(tag, vr, ValueCodec.padToEven(encoded, vr.paddingByte()));
    }

    /** Sets integer values: binary for US, SS, UL, SL (in the dataset's byte order), decimal text for IS and DS. */
    public void setInt(int tag, VR vr, int... values) {
        if (vr == VR.IS || vr == VR.DS) {
            String[] texts = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                texts[i] = Integer.toString(values[i]);
            }
            setString(tag, vr, texts);
            return;
        }
        setBytes(tag, vr, ValueCodec.encodeIntegers(values, vr, byteOrder()));
    }

    /** Sets a raw value, which must already be in the dataset's byte order and of even length. */
    public void setBytes(int tag, VR vr, byte[] value) {
        put(new DataElement(tag, vr, value != null ? value : new byte[0]));
    }

    /** Replaces the element with a new, empty sequence and returns it. */
    public Sequence newSequence(int tag) {
        Sequence sequence = new Sequence(this);
        put(new DataElement(tag, VR.SQ, sequence));
        return sequence;
    }

    public void setFragments(int tag, VR vr, Fragments fragments) {
        put(new DataElement(tag, vr, fragments));
    }

    public void setBulkData(int tag, VR vr, BulkData bulkData) {
        put(new DataElement(tag, vr, bulkData));
    }

    /** Removes the element and returns it, or null when it was absent. */
    public DataElement remove(int tag) {
        return elements.remove(tag);
    }

    /** Returns the last element, or null for an empty dataset. */
    public DataElement last() {
        return elements.isEmpty() ? null : elements.lastEntry().getValue();
    }

    @Override
    public Iterator<DataElement> iterator() {
        return Collections.unmodifiableCollection(elements.values()).iterator();
    }

    private void put(DataElement element) {
        elements.put(element.tag(), element);
    }

    private ByteOrder byteOrder() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private String decodeText(byte[] bytes, VR vr) {
        if (vr.kind() == VR.Kind.TEXT) {
            return specificCharacterSet().decode(bytes, vr);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Returns the value of a binary element as a buffer in the dataset's byte order, or null. */
    public ByteBuffer getByteBuffer(int tag) {
        byte[] bytes = getBytes(tag);
        return bytes != null ? ByteBuffer.wrap(bytes).order(byteOrder()) : null;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (DataElement element : elements.values()) {
            text.append(element).append('\n');
        }
        return text.toString();
    }
}
