package org.arca.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The JSON encoding of the archive's journal payloads (stored instances, Storage Commitment,
 * blob damage). Each payload record carries a {@code formatVersion} that readers check.
 */
public final class JournalPayloadJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JournalPayloadJson() {
    }

    public static byte[] encode(Object payload, String payloadName) {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalStateException("Encoding a " + payloadName + " journal payload failed.", e);
        }
    }

    public static <T> T decode(byte[] payload, Class<T> type) throws IOException {
        return JSON.readValue(payload, type);
    }

    public static void checkFormatVersion(int found, int supported, long journalSequence, String payloadName)
            throws IOException {
        if (found != supported) {
            throw new IOException("Journal record " + journalSequence + " has " + payloadName + " payload format version "
                    + found + ", but this Arca reads only version " + supported + "; upgrade Arca to read this "
                    + "journal.");
        }
    }
}
