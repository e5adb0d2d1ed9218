package org.arca.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.ElementDictionary;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;

/**
 * The {@code -k KEY=VALUE} matching and return keys of a query or retrieve. KEY is a PS3.6
 * keyword such as {@code PatientID} or a tag as {@code gggg,eeee}. {@code KEY} alone or
 * {@code KEY=} asks for the attribute with universal matching.
 */
final class QueryKeys {

    /** Keyword to tag, from the constants of {@link Tag}, which are named by their PS3.6 keyword. */
    private static final Map<String, Integer> TAGS_BY_KEYWORD = tagsByKeyword();

    private QueryKeys() {
    }

    /**
     * Builds the identifier from the keys, with (0008,0052) Query/Retrieve Level set to {@code level}
     * unless a key sets it.
     *
     * @throws IllegalArgumentException naming the key, when a key is not KEY=VALUE or KEY is unknown
     */
    static Attributes identifier(List<String> keys, String level) {
        Attributes identifier = new Attributes();
        if (keys.stream().anyMatch(key -> key.chars().anyMatch(c -> c > 0x7F))) {
            // Values beyond ASCII need a character set that can encode them; without one they would
            // be sent as '?', which C-FIND reads as a wildcard. A -k SpecificCharacterSet=... overrides it.
            identifier.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        }
        identifier.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        // The character set comes first, because it decides how the other values are encoded.
        for (String key : keys) {
            if (isCharacterSetKey(key)) {
                put(identifier, key);
            }
        }
        for (String key : keys) {
            if (!isCharacterSetKey(key)) {
                put(identifier, key);
            }
        }
        return identifier;
    }

    private static boolean isCharacterSetKey(String key) {
        return key.startsWith("SpecificCharacterSet=") || key.startsWith("0008,0005=");
    }

    /** Returns the tag of a keyword or of a "gggg,eeee" tag, or throws naming the key. */
    static int tagOf(String keyword) {
        Integer tag = TAGS_BY_KEYWORD.get(keyword);
        if (tag != null) {
            return tag;
        }
        if (keyword.matches("\\p{XDigit}{4},\\p{XDigit}{4}")) {
            return Tag.of(Integer.parseInt(keyword.substring(0, 4), 16), Integer.parseInt(keyword.substring(5), 16));
        }
        throw new IllegalArgumentException("Invalid key '" + keyword
                + "': not a PS3.6 keyword such as PatientID, nor a tag as gggg,eeee.");
    }

    /** Encodes the identifier in a transfer syntax, as the data set of a DIMSE request. */
    static byte[] encode(Attributes identifier, String transferSyntaxUid) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(identifier, TransferSyntax.of(transferSyntaxUid));
        return bytes.toByteArray();
    }

    private static void put(Attributes identifier, String key) {
        int equals = key.indexOf('=');
        String keyword = equals < 0 ? key : key.substring(0, equals);
        String value = equals < 0 ? "" : key.substring(equals + 1);
        if (keyword.isEmpty()) {
            throw new IllegalArgumentException("Invalid key '" + key + "': expected KEY=VALUE, such as PatientID=123.");
        }
        int tag = tagOf(keyword);
        VR vr = ElementDictionary.vrOf(tag);
        if (vr == VR.SQ) {
            identifier.newSequence(tag);
        } else if (value.isEmpty()) {
            identifier.setBytes(tag, vr, new byte[0]);
        } else {
            identifier.setString(tag, vr == VR.UN ? VR.LO : vr, value.split("\\\\"));
        }
    }

    private static Map<String, Integer> tagsByKeyword() {
        Map<String, Integer> tags = new HashMap<>();
        for (Field field : Tag.class.getFields()) {
            if (field.getType() == int.class && Modifier.isStatic(field.getModifiers())) {
                try {
                    tags.put(field.getName(), field.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Tag constant " + field.getName() + " is not readable.", e);
                }
            }
        }
        return Map.copyOf(tags);
    }
}
