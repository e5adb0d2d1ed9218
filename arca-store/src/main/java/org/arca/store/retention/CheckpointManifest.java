package org.arca.store.retention;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The manifest of a checkpoint: which index snapshot it is, the journal sequence the snapshot
 * contains, and the hash that anchors the journal's chain after it.
 *
 * <p>Format (UTF-8 text, one {@code key=value} per line): the first line is the magic value
 * {@value #MAGIC}, then {@code formatVersion}, the fields below in this order, and last
 * {@code crc32c}, the CRC32C (hex) of every byte before that line. Readers reject another magic,
 * an unknown version, a file over {@value #MAX_SIZE_BYTES} bytes, and a CRC mismatch. Version
 * history: 1 - first version.
 *
 * @param journalSequence the last journal record applied to the snapshot; the journal after the
 *     checkpoint continues at this sequence + 1
 * @param journalRecordSha256 the SHA-256 (hex) of that record, which the next record carries as its
 *     previous hash
 * @param journalRecordTimestampMillis the timestamp of that record, epoch milliseconds
 * @param snapshotFileName the SQLite snapshot's file name in the checkpoint directory
 * @param snapshotSha256 the SHA-256 (hex) of the snapshot file
 * @param snapshotSizeBytes the size of the snapshot file
 * @param createdAtMillis when the checkpoint was written, epoch milliseconds
 */
public record CheckpointManifest(long journalSequence, String journalRecordSha256, long journalRecordTimestampMillis,
        String snapshotFileName, String snapshotSha256, long snapshotSizeBytes, long createdAtMillis) {

    public static final String MAGIC = "ARCA-CHECKPOINT";
    public static final int FORMAT_VERSION = 1;
    static final int MAX_SIZE_BYTES = 4096;

    /** Encodes the manifest, ending with its CRC32C line. */
    byte[] encode() {
        StringBuilder text = new StringBuilder();
        text.append(MAGIC).append('\n');
        text.append("formatVersion=").append(FORMAT_VERSION).append('\n');
        text.append("journalSequence=").append(journalSequence).append('\n');
        text.append("journalRecordSha256=").append(journalRecordSha256).append('\n');
        text.append("journalRecordTimestampMillis=").append(journalRecordTimestampMillis).append('\n');
        text.append("snapshotFileName=").append(snapshotFileName).append('\n');
        text.append("snapshotSha256=").append(snapshotSha256).append('\n');
        text.append("snapshotSizeBytes=").append(snapshotSizeBytes).append('\n');
        text.append("createdAtMillis=").append(createdAtMillis).append('\n');
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        String crcLine = "crc32c=" + crc32cHex(body, body.length) + "\n";
        byte[] bytes = new byte[body.length + crcLine.length()];
        System.arraycopy(body, 0, bytes, 0, body.length);
        System.arraycopy(crcLine.getBytes(StandardCharsets.UTF_8), 0, bytes, body.length, crcLine.length());
        return bytes;
    }

    /** Reads and checks a manifest file. */
    static CheckpointManifest read(Path file) throws IOException {
        long sizeBytes = Files.size(file);
        if (sizeBytes > MAX_SIZE_BYTES) {
            throw new IOException("Checkpoint manifest " + file + " has " + sizeBytes + " bytes, more than the "
                    + MAX_SIZE_BYTES + " a manifest can have; it is not a checkpoint manifest or it is damaged.");
        }

        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.startsWith(MAGIC + "\n")) {
            throw new IOException("Checkpoint manifest " + file + " does not start with " + MAGIC
                    + "; it is not a checkpoint manifest.");
        }
        int crcLine = text.lastIndexOf("crc32c=");
        if (crcLine < 0) {
            throw new IOException("Checkpoint manifest " + file + " has no crc32c line; it is truncated.");
        }

        Map<String, String> fields = parse(text);
        String expectedCrc = crc32cHex(bytes, text.substring(0, crcLine).getBytes(StandardCharsets.UTF_8).length);
        if (!expectedCrc.equals(fields.get("crc32c"))) {
            throw new IOException("Checkpoint manifest " + file + " has CRC32C " + fields.get("crc32c")
                    + " but its content has " + expectedCrc + "; the manifest is damaged, write a new checkpoint.");
        }

        int version = Integer.parseInt(required(fields, "formatVersion", file));
        if (version != FORMAT_VERSION) {
            throw new IOException("Checkpoint manifest " + file + " has format version " + version
                    + ", but this Arca reads only version " + FORMAT_VERSION + "; upgrade Arca to read it.");
        }
        return new CheckpointManifest(Long.parseLong(required(fields, "journalSequence", file)),
                required(fields, "journalRecordSha256", file),
                Long.parseLong(required(fields, "journalRecordTimestampMillis", file)),
                required(fields, "snapshotFileName", file), required(fields, "snapshotSha256", file),
                Long.parseLong(required(fields, "snapshotSizeBytes", file)),
                Long.parseLong(required(fields, "createdAtMillis", file)));
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                fields.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return fields;
    }

    private static String required(Map<String, String> fields, String key, Path file) throws IOException {
        String value = fields.get(key);
        if (value == null) {
            throw new IOException("Checkpoint manifest " + file + " has no " + key + "; it is damaged.");
        }
        return value;
    }

    private static String crc32cHex(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
