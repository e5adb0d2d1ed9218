package org.arca.dicom.pdu;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader over the variable field of a PDU. Every read past the end of the
 * current item is a malformed PDU and fails with an A-ABORT reply (invalid PDU parameter value).
 */
final class ItemCursor {
    private final byte[] bytes;
    private int position;
    private final int end;

    ItemCursor(byte[] bytes, int position, int end) {
        this.bytes = bytes;
        this.position = position;
        this.end = end;
    }

    boolean hasRemaining() {
        return position < end;
    }

    int remaining() {
        return end - position;
    }

    int u8(String field) throws PduException {
        require(1, field);
        return bytes[position++] & 0xFF;
    }

    int u16(String field) throws PduException {
        require(2, field);
        int value = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    long u32(String field) throws PduException {
        require(4, field);
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (bytes[position + i] & 0xFF);
        }
        position += 4;
        return value;
    }

    void skip(int length, String field) throws PduException {
        require(length, field);
        position += length;
    }

    byte[] bytes(int length, String field) throws PduException {
        require(length, field);
        byte[] value = new byte[length];
        System.arraycopy(bytes, position, value, 0, length);
        position += length;
        return value;
    }

    /** Reads an ASCII value and strips the trailing NUL and space padding some peers send. */
    String ascii(int length, String field) throws PduException {
        require(length, field);
        int stop = position + length;
        while (stop > position && (bytes[stop - 1] == 0 || bytes[stop - 1] == ' ')) {
            stop--;
        }
        String value = new String(bytes, position, stop - position, StandardCharsets.US_ASCII);
        position += length;
        return value;
    }

    /** Returns a cursor over the next {@code length} bytes and moves past them. */
    ItemCursor item(int length, String field) throws PduException {
        require(length, field);
        ItemCursor item = new ItemCursor(bytes, position, position + length);
        position += length;
        return item;
    }

    private void require(int length, String field) throws PduException {
        if (length < 0 || length > end - position) {
            throw new PduException("Malformed PDU: " + field + " needs " + length + " bytes but only "
                    + (end - position) + " remain in its item",
                    AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
    }
}
