package org.arca.dicom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The standard data element dictionary of PS3.6, loaded from {@code dictionary.tsv} which
 * tools/gen-dictionary.py generates.
 *
 * <p>Besides exact tags, it resolves the repeating groups 50xx, 60xx and 7Fxx and the element
 * range (0020,31xx) of PS3.6, group lengths (gggg,0000) and Private Creator elements
 * (gggg,0010-00FF) of odd groups (PS3.5 section 7.8.1). Thread-safe: it is immutable once loaded.
 */
public final class ElementDictionary {

    private static final String RESOURCE = "dictionary.tsv";

    private static final DictionaryEntry GROUP_LENGTH = new DictionaryEntry(VR.UL, "UL", "1", "GroupLength", false);
    private static final DictionaryEntry PRIVATE_CREATOR = new DictionaryEntry(VR.LO, "LO", "1", "PrivateCreator", false);

    private static final Map<Integer, DictionaryEntry> EXACT = new HashMap<>();
    /** Entries keyed by their tag with the masked hex digits set to 0, per mask. */
    private static final Map<Integer, Map<Integer, DictionaryEntry>> MASKED = new HashMap<>();

    static {
        load();
    }

    private ElementDictionary() {
    }

    /** Returns the dictionary entry of a tag, or {@code null} when PS3.6 does not define it. */
    public static DictionaryEntry lookup(int tag) {
        DictionaryEntry entry = EXACT.get(tag);
        if (entry != null) {
            return entry;
        }
        if (Tag.isGroupLength(tag) && Tag.group(tag) != 0xFFFE) {
            return GROUP_LENGTH;
        }
        if (Tag.isPrivateCreator(tag)) {
            return PRIVATE_CREATOR;
        }
        if (Tag.isPrivate(tag)) {
            return null;
        }
        for (Map.Entry<Integer, Map<Integer, DictionaryEntry>> masked : MASKED.entrySet()) {
            DictionaryEntry candidate = masked.getValue().get(tag & masked.getKey());
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    /** Returns the VR of a tag for implicit VR transfer syntaxes, or UN when the dictionary does not define it. */
    public static VR vrOf(int tag) {
        DictionaryEntry entry = lookup(tag);
        return entry != null ? entry.vr() : VR.UN;
    }

    /** Returns the keyword of a tag, or {@code null} when the dictionary does not define it. */
    public static String keywordOf(int tag) {
        DictionaryEntry entry = lookup(tag);
        return entry != null ? entry.keyword() : null;
    }

    private static void load() {
        try (InputStream in = ElementDictionary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + RESOURCE + " is missing from the arca-dicom jar; rebuild it.");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("#") && !line.isEmpty()) {
                    addLine(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the dictionary resource " + RESOURCE, e);
        }
    }

    private static void addLine(String line) {
        String[] fields = line.split("\t");
        String tagText = fields[0];
        String vrs = fields[1];
        DictionaryEntry entry = new DictionaryEntry(VR.valueOf(vrs.substring(0, 2)), vrs, fields[2], fields[3], "1".equals(fields[4]));
        int tag = Integer.parseUnsignedInt(tagText.replace('x', '0'), 16);

        if (tagText.indexOf('x') < 0) {
            EXACT.put(tag, entry);
            return;
        }
        int mask = 0;
        for (int i = 0; i < 8; i++) {
            mask = (mask << 4) | (tagText.charAt(i) == 'x' ? 0 : 0xF);
        }
        MASKED.computeIfAbsent(mask, m -> new HashMap<>()).put(tag, entry);
    }
}
