package org.arca.dicom.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Mutates a byte string the ways a broken peer or a damaged file does: bit flips, replaced
 * bytes, truncation, inserted or duplicated bytes, and 16- or 32-bit length fields overwritten
 * with extremes (0, odd, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, just beyond what remains).
 */
final class Mutator {

    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};

    private final Random random;
    private final boolean bigEndian;

    /** @param bigEndian the byte order of the length fields: big endian for PDUs, little for datasets */
    Mutator(Random random, boolean bigEndian) {
        this.random = random;
        this.bigEndian = bigEndian;
    }

    /** Returns a copy of {@code input} with 1 to 4 mutations applied. */
    byte[] mutate(byte[] input) {
        byte[] bytes = input;
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            bytes = mutateOnce(bytes);
        }
        return bytes;
    }

    private byte[] mutateOnce(byte[] input) {
        byte[] bytes = Arrays.copyOf(input, input.length);
        if (bytes.length == 0) {
            return insert(bytes);
        }
        return switch (random.nextInt(8)) {
            case 0 -> flipBits(bytes);
            case 1 -> replaceByte(bytes);
            case 2 -> Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 3 -> insert(bytes);
            case 4 -> duplicate(bytes);
            case 5 -> setLength16(bytes, random.nextInt(bytes.length));
            default -> setLength32(bytes, random.nextInt(bytes.length));
        };
    }

    private byte[] flipBits(byte[] bytes) {
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }

    private byte[] replaceByte(byte[] bytes) {
        int value = random.nextBoolean() ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]
                : random.nextInt(256);
        bytes[random.nextInt(bytes.length)] = (byte) value;
        return bytes;
    }

    private byte[] insert(byte[] bytes) {
        byte[] inserted = new byte[1 + random.nextInt(16)];
        random.nextBytes(inserted);
        return splice(bytes, random.nextInt(bytes.length + 1), inserted);
    }

    /** Repeats a slice of the input in place, which nests or repeats items and elements. */
    private byte[] duplicate(byte[] bytes) {
        int from = random.nextInt(bytes.length);
        int length = 1 + random.nextInt(Math.min(256, bytes.length - from));
        return splice(bytes, from, Arrays.copyOfRange(bytes, from, from + length));
    }

    private static byte[] splice(byte[] bytes, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + inserted.length);
        out.write(bytes, 0, at);
        out.writeBytes(inserted);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    /** Overwrites a 32-bit field at {@code offset} with an extreme length. */
    byte[] setLength32(byte[] bytes, int offset) {
        if (offset + 4 > bytes.length) {
            return bytes;
        }
        long remaining = bytes.length - offset - 4L;
        long[] lengths = {0, 1, 3, remaining + 1, remaining + 2, 0xFFFFFFFFL, 0x7FFFFFFFL, 0xFFFFFFFEL,
                0x80000000L, 1L << 20, 64L << 20, random.nextInt() & 0xFFFFFFFFL};
        putUnsigned(bytes, offset, 4, lengths[random.nextInt(lengths.length)]);
        return bytes;
    }

    /** Overwrites a 16-bit field at {@code offset} with an extreme length. */
    byte[] setLength16(byte[] bytes, int offset) {
        if (offset + 2 > bytes.length) {
            return bytes;
        }
        long remaining = bytes.length - offset - 2L;
        long[] lengths = {0, 1, 3, Math.min(0xFFFF, remaining + 1), 0xFFFF, 0x7FFF, 0x8000, random.nextInt(0x10000)};
        putUnsigned(bytes, offset, 2, lengths[random.nextInt(lengths.length)]);
        return bytes;
    }

    private void putUnsigned(byte[] bytes, int offset, int width, long value) {
        for (int i = 0; i < width; i++) {
            int shift = bigEndian ? 8 * (width - 1 - i) : 8 * i;
            bytes[offset + i] = (byte) (value >>> shift);
        }
    }
}
