package org.arca.dicom.data;

/**
 * Value Representations of PS3.5 section 6.2, with the encoding facts a reader and writer need.
 *
 * <p>{@code longLength} is true for the VRs whose explicit VR header has two reserved bytes and a
 * 32-bit length (PS3.5 table 7.1-1), and the others have a 16-bit length. {@code maxLength} is the
 * maximum length in bytes (or characters for text VRs) of one value, or -1 when only the 32-bit
 * length limits it.
 */
public enum VR {
    AE(Kind.STRING, false, ' ', 16),
    AS(Kind.STRING, false, ' ', 4),
    AT(Kind.BINARY, false, 0, 4),
    CS(Kind.STRING, false, ' ', 16),
    DA(Kind.STRING, false, ' ', 8),
    DS(Kind.STRING, false, ' ', 16),
    DT(Kind.STRING, false, ' ', 26),
    FD(Kind.BINARY, false, 0, 8),
    FL(Kind.BINARY, false, 0, 4),
    IS(Kind.STRING, false, ' ', 12),
    LO(Kind.TEXT, false, ' ', 64),
    LT(Kind.TEXT, false, ' ', 10240),
    OB(Kind.BINARY, true, 0, -1),
    OD(Kind.BINARY, true, 0, -1),
    OF(Kind.BINARY, true, 0, -1),
    OL(Kind.BINARY, true, 0, -1),
    OV(Kind.BINARY, true, 0, -1),
    OW(Kind.BINARY, true, 0, -1),
    PN(Kind.TEXT, false, ' ', 64),
    SH(Kind.TEXT, false, ' ', 16),
    SL(Kind.BINARY, false, 0, 4),
    SQ(Kind.SEQUENCE, true, 0, -1),
    SS(Kind.BINARY, false, 0, 2),
    ST(Kind.TEXT, false, ' ', 1024),
    SV(Kind.BINARY, true, 0, 8),
    TM(Kind.STRING, false, ' ', 14),
    UC(Kind.TEXT, true, ' ', -1),
    UI(Kind.STRING, false, 0, 64),
    UL(Kind.BINARY, false, 0, 4),
    UN(Kind.BINARY, true, 0, -1),
    UR(Kind.STRING, true, ' ', -1),
    US(Kind.BINARY, false, 0, 2),
    UT(Kind.TEXT, true, ' ', -1),
    UV(Kind.BINARY, true, 0, 8);

    /** How a value of the VR is encoded. */
    public enum Kind {
        /** Characters of the Default Character Repertoire only. */
        STRING,
        /** Characters decoded with the Specific Character Set (0008,0005). */
        TEXT,
        /** Binary numbers or bytes, in the byte order of the transfer syntax. */
        BINARY,
        /** A sequence of items. */
        SEQUENCE
    }

    private static final VR[] BY_CODE = new VR[0x10000];

    static {
        for (VR vr : values()) {
            BY_CODE[vr.code()] = vr;
        }
    }

    private final Kind kind;
    private final boolean longLength;
    private final int paddingByte;
    private final int maxLength;

    VR(Kind kind, boolean longLength, int paddingByte, int maxLength) {
        this.kind = kind;
        this.longLength = longLength;
        this.paddingByte = paddingByte;
        this.maxLength = maxLength;
    }

    /** Returns the two ASCII characters as a 16-bit code, first character in the high byte. */
    public int code() {
        return (name().charAt(0) << 8) | name().charAt(1);
    }

    /**
     * Returns the VR whose two-character code is {@code code} (first character in the high byte),
     * or {@code null} for a code that PS3.5 does not define, so that the caller decides how to treat it.
     */
    public static VR fromCode(int code) {
        return BY_CODE[code & 0xFFFF];
    }

    /** Returns the VR for a code, or {@code fallback} for a code that PS3.5 does not define. */
    public static VR fromCode(int code, VR fallback) {
        VR vr = fromCode(code);
        return vr != null ? vr : fallback;
    }

    public Kind kind() {
        return kind;
    }

    /** Returns whether an explicit VR header of this VR has 2 reserved bytes and a 32-bit length. */
    public boolean longLength() {
        return longLength;
    }

    /** Returns the byte that pads a value to even length: space for strings, NUL for UI and binary VRs. */
    public int paddingByte() {
        return paddingByte;
    }

    /** Returns the maximum value length in bytes or characters, or -1 when unbounded by PS3.5. */
    public int maxLength() {
        return maxLength;
    }

    /** Returns whether values are character strings (STRING or TEXT kind). */
    public boolean isString() {
        return kind == Kind.STRING || kind == Kind.TEXT;
    }

    /** Returns the size in bytes of one binary number, which is the unit of byte swapping; 1 for bytes and strings. */
    public int swapUnit() {
        return switch (this) {
            case AT, OW, SS, US -> 2;
            case FL, OF, OL, SL, UL -> 4;
            case FD, OD, OV, SV, UV -> 8;
            default -> 1;
        };
    }
}
