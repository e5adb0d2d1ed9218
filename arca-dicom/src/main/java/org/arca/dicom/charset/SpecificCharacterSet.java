package org.arca.dicom.charset;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arca.dicom.data.VR;

/**
 * The character sets that the values of Specific Character Set (0008,0005) select, and the
 * decoding and encoding of text VRs (SH, LO, ST, LT, UC, UT, PN) with them (PS3.5 section 6.1,
 * PS3.3 C.12.1.1.2).
 *
 * <p>A single value without code extensions (ISO_IR 100, ISO_IR 192, GB18030, ...) maps to one
 * Java charset. Values naming "ISO 2022" terms use code extensions: escape sequences designate
 * character sets to G0 (bytes 0x21-0x7E) and G1 (bytes 0xA1-0xFE), and the set of value 1 is
 * active again before CR, LF, FF, TAB, before each value delimiter and before the PN delimiters
 * "^" and "=" (PS3.5 section 6.1.2.5.3). Immutable and thread-safe.
 */
public final class SpecificCharacterSet {

    /** The Default Character Repertoire, used when (0008,0005) is absent or empty. */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[] {""}, null,
            Designation.ASCII, null, List.of());

    private static final Map<String, String> SINGLE_CHARSETS = Map.ofEntries(
            // Decode the default repertoire as Latin-1 so that out-of-range bytes are not lost.
            Map.entry("", "ISO-8859-1"),
            Map.entry("ISO_IR 6", "ISO-8859-1"),
            Map.entry("ISO_IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 166", "TIS-620"),
            Map.entry("ISO_IR 13", "JIS_X0201"),
            Map.entry("ISO_IR 192", "UTF-8"),
            Map.entry("GB18030", "GB18030"),
            Map.entry("GBK", "GBK"));

    private static final Map<String, List<Designation>> ISO_2022_TERMS = Map.ofEntries(
            Map.entry("", List.of(Designation.ASCII)),
            Map.entry("ISO 2022 IR 6", List.of(Designation.ASCII)),
            Map.entry("ISO 2022 IR 100", List.of(Designation.LATIN1)),
            Map.entry("ISO 2022 IR 101", List.of(Designation.LATIN2)),
            Map.entry("ISO 2022 IR 109", List.of(Designation.LATIN3)),
            Map.entry("ISO 2022 IR 110", List.of(Designation.LATIN4)),
            Map.entry("ISO 2022 IR 144", List.of(Designation.CYRILLIC)),
            Map.entry("ISO 2022 IR 127", List.of(Designation.ARABIC)),
            Map.entry("ISO 2022 IR 126", List.of(Designation.GREEK)),
            Map.entry("ISO 2022 IR 138", List.of(Designation.HEBREW)),
            Map.entry("ISO 2022 IR 148", List.of(Designation.LATIN5)),
            Map.entry("ISO 2022 IR 166", List.of(Designation.THAI)),
            Map.entry("ISO 2022 IR 13", List.of(Designation.JIS_X0201_KATAKANA, Designation.JIS_X0201_ROMAN)),
            Map.entry("ISO 2022 IR 87", List.of(Designation.JIS_X0208)),
            Map.entry("ISO 2022 IR 159", List.of(Designation.JIS_X0212)),
            Map.entry("ISO 2022 IR 149", List.of(Designation.KS_X1001)),
            Map.entry("ISO 2022 IR 58", List.of(Designation.GB2312)));

    private final String[] terms;
    /** The charset of a set without code extensions, or null for ISO 2022. */
    private final Charset charset;
    private final Designation initialG0;
    private final Designation initialG1;
    /** Every designation the terms allow, in the order of the terms, for encoding. */
    private final List<Designation> designations;

    private SpecificCharacterSet(String[] terms, Charset charset, Designation initialG0, Designation initialG1,
                                 List<Designation> designations) {
        this.terms = terms;
        this.charset = charset;
        this.initialG0 = initialG0;
        this.initialG1 = initialG1;
        this.designations = designations;
    }

    /**
     * Returns the character set for the values of (0008,0005). An unknown term falls back to the
     * default repertoire for that term, and {@link #isKnownTerm} tells a caller which terms to report.
     */
    public static SpecificCharacterSet valueOf(String... values) {
        if (values == null || values.length == 0) {
            return DEFAULT;
        }
        String[] terms = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            terms[i] = values[i] == null ? "" : values[i].trim().toUpperCase(Locale.ROOT);
        }
        if (terms.length == 1 && !terms[0].startsWith("ISO 2022")) {
            String name = SINGLE_CHARSETS.getOrDefault(terms[0], "ISO-8859-1");
            return new SpecificCharacterSet(terms, Charset.forName(name), Designation.ASCII, null, List.of());
        }
        return withCodeExtensions(terms);
    }

    private static SpecificCharacterSet withCodeExtensions(String[] terms) {
        List<Designation> designations = new ArrayList<>();
        for (String term : terms) {
            designations.addAll(designationsOf(term));
        }
        Designation g0 = Designation.ASCII;
        Designation g1 = null;
        for (Designation designation : designationsOf(terms[0])) {
            if (designation.slot == 0) {
                g0 = designation;
            } else {
                g1 = designation;
            }
        }
        return new SpecificCharacterSet(terms, null, g0, g1, List.copyOf(designations));
    }

    /** Accepts the "ISO_IR nnn" spelling for value 1 of a set with code extensions, which some writers use. */
    private static List<Designation> designationsOf(String term) {
        List<Designation> designations = ISO_2022_TERMS.get(term);
        if (designations == null && term.startsWith("ISO_IR ")) {
            designations = ISO_2022_TERMS.get("ISO 2022 IR " + term.substring("ISO_IR ".length()));
        }
        return designations != null ? designations : List.of();
    }

    /** Returns whether a term of (0008,0005) is one this class supports. */
    public static boolean isKnownTerm(String term) {
        String t = term.trim().toUpperCase(Locale.ROOT);
        return SINGLE_CHARSETS.containsKey(t) || ISO_2022_TERMS.containsKey(t);
    }

    /** Returns whether the character set uses ISO 2022 code extensions. */
    public boolean usesCodeExtensions() {
        return charset == null;
    }

    /** Returns the values of (0008,0005) this set was made from. */
    public String[] terms() {
        return terms.clone();
    }

    /**
     * Decodes the bytes of a value of a text VR. Multiple values stay separated by "\" in the
     * result, and padding is not removed.
     */
    public String decode(byte[] bytes, VR vr) {
        if (charset != null) {
            return new String(bytes, charset);
        }
        return new Iso2022Decoder(bytes, vr).decode();
    }

    /** Encodes a value of a text VR (multiple values joined by "\"), without padding. */
    public byte[] encode(String value, VR vr) {
        if (charset != null) {
            return value.getBytes(charset);
        }
        return new Iso2022Encoder(value, vr).encode();
    }

    /** Returns whether a character ends the effect of escape sequences in a value of this VR (PS3.5 6.1.2.5.3). */
    static boolean isResetCharacter(int c, VR vr) {
        switch (c) {
            case '\r', '\n', '\f', '\t':
                return true;
            case '\\':
                return vr != VR.LT && vr != VR.ST && vr != VR.UT && vr != VR.UC;
            case '^', '=':
                return vr == VR.PN;
            default:
                return false;
        }
    }

    @Override
    public String toString() {
        return String.join("\\", terms);
    }

    /** Decoding state of one value with code extensions. */
    private final class Iso2022Decoder {
        private final byte[] bytes;
        private final VR vr;
        private final StringBuilder text = new StringBuilder();
        private Designation g0 = initialG0;
        private Designation g1 = initialG1;

        Iso2022Decoder(byte[] bytes, VR vr) {
            this.bytes = bytes;
            this.vr = vr;
        }

        String decode() {
            int i = 0;
            while (i < bytes.length) {
                int b = bytes[i] & 0xFF;
                if (b == Designation.ESC) {
                    i = designate(i);
                } else if (b >= 0x80) {
                    i = decodeRun(i, g1, true);
                } else if (g0.isDoubleByte() && b >= 0x21 && b <= 0x7E) {
                    i = decodeRun(i, g0, false);
                } else if (isResetCharacter(b, vr)) {
                    text.append((char) b);
                    reset();
                    i++;
                } else {
                    text.append(g0.decode(bytes, i, i + 1));
                    i++;
                }
            }
            return text.toString();
        }

        private int designate(int i) {
            Designation designation = Designation.matchEscape(bytes, i);
            if (designation == null) {
                text.append('\u001B');
                return i + 1;
            }
            if (designation.slot == 0) {
                g0 = designation;
            } else {
                g1 = designation;
            }
            return i + designation.escapeSequence.length;
        }

        private int decodeRun(int start, Designation set, boolean high) {
            int end = start;
            while (end < bytes.length && runContinues(bytes[end] & 0xFF, high)) {
                end++;
            }
            text.append(set != null ? set.decode(bytes, start, end) : "\uFFFD".repeat(end - start));
            return end;
        }

        private boolean runContinues(int b, boolean high) {
            return high ? b >= 0x80 : b >= 0x21 && b <= 0x7E;
        }

        /** Activates the sets of value 1 again; a G1 set that value 1 leaves empty stays, to read lenient writers. */
        private void reset() {
            g0 = initialG0;
            if (initialG1 != null) {
                g1 = initialG1;
            }
        }
    }

    /** Encoding state of one value with code extensions. */
    private final class Iso2022Encoder {
        private final String value;
        private final VR vr;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Designation g0 = initialG0;
        private Designation g1 = initialG1;

        Iso2022Encoder(String value, VR vr) {
            this.value = value;
            this.vr = vr;
        }

        byte[] encode() {
            value.codePoints().forEach(this::encodeCodePoint);
            reset();
            return out.toByteArray();
        }

        private void encodeCodePoint(int c) {
            if (isResetCharacter(c, vr)) {
                reset();
                out.write(c);
                return;
            }
            for (Designation candidate : candidates(c)) {
                byte[] encoded = candidate.encode(c);
                if (encoded != null) {
                    designate(candidate);
                    out.writeBytes(encoded);
                    return;
                }
            }
            designate(Designation.ASCII);
            out.write('?');
        }

        /** The sets to try for a character: the active ones first, then ASCII for G0, then those of the terms in order. */
        private List<Designation> candidates(int c) {
            List<Designation> candidates = new ArrayList<>();
            candidates.add(g0);
            if (g1 != null) {
                candidates.add(g1);
            }
            if (c < 0x80) {
                candidates.add(Designation.ASCII);
            }
            candidates.addAll(designations);
            return candidates;
        }

        private void designate(Designation designation) {
            Designation active = designation.slot == 0 ? g0 : g1;
            if (active == designation) {
                return;
            }
            out.writeBytes(designation.escapeSequence);
            if (designation.slot == 0) {
                g0 = designation;
            } else {
                g1 = designation;
            }
        }

        /** Returns to the sets of value 1, writing escape sequences for those that changed. */
        private void reset() {
            if (g0 != initialG0) {
                out.writeBytes(initialG0.escapeSequence);
                g0 = initialG0;
            }
            if (g1 != initialG1) {
                if (initialG1 != null) {
                    out.writeBytes(initialG1.escapeSequence);
                }
                g1 = initialG1;
            }
        }
    }

    /** Returns whether two sets decode alike. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SpecificCharacterSet that && Arrays.equals(terms, that.terms);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(terms);
    }
}
