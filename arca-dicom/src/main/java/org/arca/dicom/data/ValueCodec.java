package org.arca.dicom.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Conversions between value bytes and Java values, shared by {@link Attributes}. */
final class ValueCodec {

    private ValueCodec() {
    }

    static String[] splitStrings(String text, VR vr) {
        boolean multiValued = vr != VR.LT && vr != VR.ST && vr != VR.UT && vr != VR.UR;
        // Most values contain no backslash, and then split() would return the text alone.
        String[] values = multiValued && text.indexOf('\\') >= 0 ? text.split("\\\\", -1) : new String[] {text};
        boolean keepLeading = vr == VR.LT || vr == VR.ST || vr == VR.UT || vr == VR.UC;
        for (int i = 0; i < values.length; i++) {
            values[i] = trim(values[i], keepLeading);
        }
        if (values.length == 1 && values[0].isEmpty()) {
            return new String[0];
        }
        return values;
    }

    private static String trim(String value, boolean keepLeading) {
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        while (!keepLeading && start < end && value.charAt(start) == ' ') {
            start++;
        }
        return value.substring(start, end);
    }

    static String[] binaryToStrings(byte[] bytes, VR vr, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(order);
        int unit = vr.swapUnit();
        if (unit == 1 || vr == VR.AT) {
            return null;
        }
        String[] values = new String[bytes.length / unit];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (vr) {
                case US, OW -> Integer.toString(buffer.getShort() & 0xFFFF);
                case SS -> Integer.toString(buffer.getShort());
                case UL, OL -> Long.toString(buffer.getInt() & 0xFFFFFFFFL);
                case SL -> Integer.toString(buffer.getInt());
                case FL, OF -> Float.toString(buffer.getFloat());
                case FD, OD -> Double.toString(buffer.getDouble());
                case SV -> Long.toString(buffer.getLong());
                default -> Long.toUnsignedString(buffer.getLong());
            };
        }
        return values;
    }

    /** Returns the first value of a binary integer VR, or null for other VRs or a too short value. */
    static Long firstInteger(byte[] bytes, VR vr, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(order);
        return switch (vr) {
            case US -> bytes.length >= 2 ? (long) (buffer.getShort() & 0xFFFF) : null;
            case SS -> bytes.length >= 2 ? (long) buffer.getShort() : null;
            case UL -> bytes.length >= 4 ? buffer.getInt() & 0xFFFFFFFFL : null;
            case SL -> bytes.length >= 4 ? (long) buffer.getInt() : null;
            case SV, UV -> bytes.length >= 8 ? buffer.getLong() : null;
            default -> null;
        };
    }

    static int parseIntOr(String text, int defaultValue) {
        if (text == null || text.isEmpty()) {
            return defaultValue;
        }
        try {
            return (int) Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    static byte[] encodeIntegers(int[] values, VR vr, ByteOrder order) {
        int unit = switch (vr) {
            case US, SS -> 2;
            case UL, SL -> 4;
            default -> throw new IllegalArgumentException("setInt supports US, SS, UL, SL, IS and DS, not " + vr);
        };
        ByteBuffer buffer = ByteBuffer.allocate(values.length * unit).order(order);
        for (int value : values) {
            if (unit == 2) {
                buffer.putShort((short) value);
            } else {
                buffer.putInt(value);
            }
        }
        return buffer.array();
    }

    static byte[] padToEven(byte[] value, int paddingByte) {
        if (value.length % 2 == 0) {
            return value;
        }
        byte[] padded = Arrays.copyOf(value, value.length + 1);
        padded[value.length] = (byte) paddingByte;
        return padded;
    }
}
