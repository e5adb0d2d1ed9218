package org.arca.dicom.dimse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DIMSE command set: group 0000 elements encoded in Implicit VR Little Endian (PS3.7
 * section 6.3.1). Values are kept as their encoded bytes, so elements this class does not know
 * pass through unchanged. The group length (0000,0000) is computed on encoding.
 */
public final class CommandSet {
    /** The largest command set accepted from a peer, in bytes; real ones are under 1 KiB. */
    public static final int MAX_ENCODED_LENGTH = 64 * 1024;

    private final TreeMap<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);

    public CommandSet putUS(int tag, int value) {
        elements.put(tag, new byte[] {(byte) value, (byte) (value >> 8)});
        return this;
    }

    public CommandSet putUL(int tag, long value) {
        elements.put(tag, new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)});
        return this;
    }

    /** Puts an attribute tag (AT) value, such as the Offending Element. */
    public CommandSet putAT(int tag, int... attributeTags) {
        byte[] value = new byte[attributeTags.length * 4];
        for (int i = 0; i < attributeTags.length; i++) {
            int group = attributeTags[i] >>> 16;
            int element = attributeTags[i] & 0xFFFF;
            value[i * 4] = (byte) group;
            value[i * 4 + 1] = (byte) (group >> 8);
            value[i * 4 + 2] = (byte) element;
            value[i * 4 + 3] = (byte) (element >> 8);
        }
        elements.put(tag, value);
        return this;
    }

    /**
     * Puts a string value (UI, AE, LO, SH or CS), padded to even length with NUL for UI and with a
     * space otherwise.
     */
    public CommandSet putString(int tag, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length % 2 == 1) {
            bytes = Arrays.copyOf(bytes, bytes.length + 1);
            bytes[bytes.length - 1] = (byte) ("UI".equals(CommandTag.vr(tag)) ? 0 : ' ');
        }
        elements.put(tag, bytes);
        return this;
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public CommandSet remove(int tag) {
        elements.remove(tag);
        return this;
    }

    /** Returns a US or UL value, or {@code defaultValue} if the element is absent or empty. */
    public int getInt(int tag, int defaultValue) {
        byte[] value = elements.get(tag);
        if (value == null || value.length < 2) {
            return defaultValue;
        }
        if (value.length >= 4 && "UL".equals(CommandTag.vr(tag))) {
            return (value[0] & 0xFF) | (value[1] & 0xFF) << 8 | (value[2] & 0xFF) << 16 | (value[3] & 0xFF) << 24;
        }
        return (value[0] & 0xFF) | (value[1] & 0xFF) << 8;
    }

    /** Returns a string value without its padding, or null if the element is absent. */
    public String getString(int tag) {
        byte[] value = elements.get(tag);
        if (value == null) {
            return null;
        }
        int end = value.length;
        while (end > 0 && (value[end - 1] == 0 || value[end - 1] == ' ')) {
            end--;
        }
        int start = 0;
        while (start < end && value[start] == ' ') {
            start++;
        }
        return new String(value, start, end - start, StandardCharsets.US_ASCII);
    }

    public int commandField() {
        return getInt(CommandTag.COMMAND_FIELD, -1);
    }

    public int messageId() {
        return getInt(CommandTag.MESSAGE_ID, -1);
    }

    public int status() {
        return getInt(CommandTag.STATUS, -1);
    }

    /** Returns true if a data set follows this command (Command Data Set Type is not 0x0101). */
    public boolean hasDataSet() {
        return getInt(CommandTag.COMMAND_DATA_SET_TYPE, CommandTag.NO_DATA_SET) != CommandTag.NO_DATA_SET;
    }

    /** Encodes the command set in Implicit VR Little Endian, starting with the group length. */
    public byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<Integer, byte[]> element : elements.entrySet()) {
            if (element.getKey() != CommandTag.COMMAND_GROUP_LENGTH) {
                writeElement(body, element.getKey(), element.getValue());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 12);
        int length = body.size();
        writeElement(out, CommandTag.COMMAND_GROUP_LENGTH,
                new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)});
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeElement(ByteArrayOutputStream out, int tag, byte[] value) {
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        out.writeBytes(new byte[] {(byte) group, (byte) (group >> 8), (byte) element, (byte) (element >> 8)});
        int length = value.length;
        out.writeBytes(new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)});
        out.writeBytes(value);
    }

    /**
     * Decodes a command set.
     *
     * @throws DimseException with status 0xC000-family "cannot understand" text if an element is
     *     not in group 0000 or its length overruns the command set
     */
    public static CommandSet decode(byte[] encoded) throws DimseException {
        if (encoded.length > MAX_ENCODED_LENGTH) {
            throw new DimseException(Status.CANNOT_UNDERSTAND, "Command set of " + encoded.length
                    + " bytes exceeds the limit of " + MAX_ENCODED_LENGTH);
        }
        CommandSet commandSet = new CommandSet();
        int position = 0;
        while (position < encoded.length) {
            if (encoded.length - position < 8) {
                throw new DimseException(Status.CANNOT_UNDERSTAND, "Command set ends inside an element header");
            }
            int group = u16(encoded, position);
            int element = u16(encoded, position + 2);
            long length = u16(encoded, position + 4) | ((long) u16(encoded, position + 6) << 16);
            position += 8;
            if (group != 0 || length > encoded.length - position) {
                throw new DimseException(Status.CANNOT_UNDERSTAND, String.format(
                        "Command element (%04X,%04X) with length %d is outside group 0000 or overruns the command set",
                        group, element, length));
            }
            commandSet.elements.put(element, Arrays.copyOfRange(encoded, position, position + (int) length));
            position += (int) length;
        }
        return commandSet;
    }

    private static int u16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof CommandSet set) || set.elements.size() != elements.size()) {
            return false;
        }
        for (Map.Entry<Integer, byte[]> element : elements.entrySet()) {
            if (!Arrays.equals(element.getValue(), set.elements.get(element.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return elements.keySet().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(CommandField.name(commandField())).append('[');
        for (Map.Entry<Integer, byte[]> element : elements.entrySet()) {
            String vr = CommandTag.vr(element.getKey());
            text.append(String.format("(0000,%04X)=", element.getKey() & 0xFFFF));
            text.append("US".equals(vr) || "UL".equals(vr) ? String.format("0x%04X", getInt(element.getKey(), 0))
                    : "AT".equals(vr) || "UN".equals(vr) ? element.getValue().length + " bytes"
                    : getString(element.getKey()));
            text.append(' ');
        }
        return text.append(']').toString();
    }
}
