package org.arca.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.arca.store.fs.Fsync;

/**
 * The address of a running node's admin API, as {@code <data>/admin/endpoint.json}. The node
 * writes it once the listener is up and deletes it on a graceful stop. After a crash a stale file
 * remains, so a client finds nothing listening on its port.
 *
 * @param format always {@value #FORMAT}, so that a reader can tell this file from another JSON file
 * @param formatVersion {@value #FORMAT_VERSION}; readers reject versions they do not know
 * @param host the loopback address the listener is bound to
 * @param port its TCP port
 * @param pid the process id of the node
 * @param started when the listener started, as an ISO-8601 instant
 */
public record AdminEndpoint(String format, int formatVersion, String host, int port, long pid, String started) {

    public static final String FORMAT = "arca-admin-endpoint";
    public static final int FORMAT_VERSION = 1;

    /** Cap on what is read from the endpoint file; the real file is about 170 bytes. */
    private static final int MAX_FILE_BYTES = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path fileOf(Path dataDirectory) {
        return AdminToken.adminDirectoryOf(dataDirectory).resolve("endpoint.json");
    }

    /** Writes the file atomically: a temporary file, fsync, rename over the old file, directory fsync. */
    void writeAndFsync(Path dataDirectory) throws IOException {
        Path file = fileOf(dataDirectory);
        Path temporary = Files.createTempFile(file.getParent(), "endpoint-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this)));
                channel.force(true);
            }
            Fsync.moveAtomicallyAndFsync(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Deletes the file and fsyncs its directory, so that no client is sent to a stopped node. */
    static void deleteAndFsync(Path dataDirectory) throws IOException {
        Path file = fileOf(dataDirectory);
        if (Files.deleteIfExists(file)) {
            Fsync.fsyncDirectory(file.getParent());
        }
    }

    /**
     * Reads the endpoint file of a data directory.
     *
     * @throws NoSuchFileException when no node has written one (none runs, or it stopped gracefully)
     * @throws IOException when the file cannot be read or is not an endpoint file of a known version
     */
    public static AdminEndpoint read(Path dataDirectory) throws IOException {
        Path file = fileOf(dataDirectory);
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (content.length > MAX_FILE_BYTES) {
            throw new IOException("The admin endpoint file " + file + " is larger than " + MAX_FILE_BYTES
                    + " bytes, so it is not one that Arca wrote; delete it and restart the node.");
        }
        AdminEndpoint endpoint;
        try {
            endpoint = JSON.readValue(content, AdminEndpoint.class);
        } catch (JsonProcessingException e) {
            throw new IOException("The admin endpoint file " + file + " is not valid JSON (" + e.getOriginalMessage()
                    + "); delete it and restart the node.", e);
        }
        if (!FORMAT.equals(endpoint.format()) || endpoint.formatVersion() != FORMAT_VERSION) {
            throw new IOException("The admin endpoint file " + file + " has format '" + endpoint.format()
                    + "' version " + endpoint.formatVersion() + "; this arca reads '" + FORMAT + "' version "
                    + FORMAT_VERSION + ", so use the arca command of the same release as the node.");
        }
        return endpoint;
    }
}
