package org.arca.store.commitment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The JSON encoding shared by the Storage Commitment journal payloads. */
final class CommitmentJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private CommitmentJson() {
    }

    static byte[] encode(Object payload, String what) {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalStateException("Encoding a " + what + " journal payload failed.", e);
        }
    }

    static <T> T decode(byte[] payload, Class<T> type) throws IOException {
        return JSON.readValue(payload, type);
    }

    static void checkFormatVersion(int found, int supported, long journalSequence, String what) throws IOException {
        if (found != supported) {
            throw new IOException("Journal record " + journalSequence + " has " + what + " payload format version "
                    + found + ", but this Arca reads only version " + supported + "; upgrade Arca to read this "
                    + "journal.");
        }
    }
}
