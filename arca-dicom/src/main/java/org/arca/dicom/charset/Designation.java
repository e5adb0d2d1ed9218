package org.arca.dicom.charset;

import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * One character set that an ISO 2022 escape sequence designates to G0 or G1 (PS3.3 table
 * C.12-3 and C.12-4), with how its bytes map to characters.
 *
 * <p>Two-byte sets use Java's EUC charsets, whose bytes are the 7-bit ISO 2022 bytes with the
 * high bit set (JIS X 0208 and 0212 through EUC-JP, KS X 1001 through EUC-KR, GB 2312 through GB2312).
 */
enum Designation {
    ASCII(0, "(B", Charset.forName("US-ASCII"), Form.SINGLE),
    JIS_X0201_ROMAN(0, "(J", Charset.forName("JIS_X0201"), Form.SINGLE),
    JIS_X0201_KATAKANA(1, ")I", Charset.forName("JIS_X0201"), Form.SINGLE),
    LATIN1(1, "-A", Charset.forName("ISO-8859-1"), Form.SINGLE),
    LATIN2(1, "-B", Charset.forName("ISO-8859-2"), Form.SINGLE),
    LATIN3(1, "-C", Charset.forName("ISO-8859-3"), Form.SINGLE),
    LATIN4(1, "-D", Charset.forName("ISO-8859-4"), Form.SINGLE),
    CYRILLIC(1, "-L", Charset.forName("ISO-8859-5"), Form.SINGLE),
    ARABIC(1, "-G", Charset.forName("ISO-8859-6"), Form.SINGLE),
    GREEK(1, "-F", Charset.forName("ISO-8859-7"), Form.SINGLE),
    HEBREW(1, "-H", Charset.forName("ISO-8859-8"), Form.SINGLE),
    LATIN5(1, "-M", Charset.forName("ISO-8859-9"), Form.SINGLE),
    THAI(1, "-T", Charset.forName("TIS-620"), Form.SINGLE),
    JIS_X0208(0, "$B", Charset.forName("EUC-JP"), Form.SEVEN_BIT_DOUBLE),
    JIS_X0212(0, "$(D", Charset.forName("EUC-JP"), Form.SEVEN_BIT_DOUBLE_SS3),
    KS_X1001(1, "$)C", Charset.forName("EUC-KR"), Form.EIGHT_BIT_DOUBLE),
    GB2312(1, "$)A", Charset.forName("GB2312"), Form.EIGHT_BIT_DOUBLE);

    /** How the bytes of one character of the set are laid out. */
    enum Form {
        SINGLE,
        /** Two 7-bit bytes, decoded as EUC with the high bits set. */
        SEVEN_BIT_DOUBLE,
        /** Two 7-bit bytes, decoded as EUC-JP code set 3 (prefix 0x8F, high bits set). */
        SEVEN_BIT_DOUBLE_SS3,
        /** Two bytes with the high bit set, as in EUC. */
        EIGHT_BIT_DOUBLE
    }

    static final int ESC = 0x1B;

    final int slot;
    final byte[] escapeSequence;
    final Charset charset;
    final Form form;

    Designation(int slot, String afterEsc, Charset charset, Form form) {
        this.slot = slot;
        this.escapeSequence = ((char) ESC + afterEsc).getBytes(Charset.forName("US-ASCII"));
        this.charset = charset;
        this.form = form;
    }

    boolean isDoubleByte() {
        return form != Form.SINGLE;
    }

    /** Returns the designation whose escape sequence starts at {@code bytes[offset]}, or null. */
    static Designation matchEscape(byte[] bytes, int offset) {
        for (Designation designation : values()) {
            byte[] esc = designation.escapeSequence;
            if (offset + esc.length <= bytes.length && Arrays.equals(bytes, offset, offset + esc.length, esc, 0, esc.length)) {
                return designation;
            }
        }
        return null;
    }

    /** Decodes a run of bytes that all belong to this set. */
    String decode(byte[] bytes, int start, int end) {
        switch (form) {
            case SINGLE, EIGHT_BIT_DOUBLE:
                return new String(bytes, start, end - start, charset);
            default:
                return decodeSevenBit(bytes, start, end);
        }
    }

    private String decodeSevenBit(byte[] bytes, int start, int end) {
        boolean ss3 = form == Form.SEVEN_BIT_DOUBLE_SS3;
        int pairs = (end - start) / 2;
        byte[] euc = new byte[pairs * (ss3 ? 3 : 2)];
        int out = 0;
        for (int i = 0; i < pairs; i++) {
            if (ss3) {
                euc[out++] = (byte) 0x8F;
            }
            euc[out++] = (byte) (bytes[start + 2 * i] | 0x80);
            euc[out++] = (byte) (bytes[start + 2 * i + 1] | 0x80);
        }
        String text = new String(euc, charset);
        return (end - start) % 2 == 0 ? text : text + '\uFFFD';
    }

    /**
     * Encodes one character (a code point) in this set, or returns null when the set has no
     * such character. G1 single-byte sets only take characters that encode to bytes 0x80-0xFF.
     */
    byte[] encode(int codePoint) {
        String text = new String(Character.toChars(codePoint));
        if (!charset.newEncoder().canEncode(text)) {
            return null;
        }
        byte[] encoded = text.getBytes(charset);
        switch (form) {
            case SINGLE:
                boolean high = (encoded[0] & 0x80) != 0;
                return encoded.length == 1 && high == (slot == 1) ? encoded : null;
            case EIGHT_BIT_DOUBLE:
                return encoded.length == 2 && (encoded[0] & 0x80) != 0 ? encoded : null;
            case SEVEN_BIT_DOUBLE:
                return encoded.length == 2 && (encoded[0] & 0xFF) >= 0xA1
                        ? new byte[] {(byte) (encoded[0] & 0x7F), (byte) (encoded[1] & 0x7F)} : null;
            default:
                return encoded.length == 3 && (encoded[0] & 0xFF) == 0x8F
                        ? new byte[] {(byte) (encoded[1] & 0x7F), (byte) (encoded[2] & 0x7F)} : null;
        }
    }
}
