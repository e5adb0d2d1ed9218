package org.arca.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.arca.store.fs.Fsync;

/**
 * The secret that a caller of the admin API presents as {@code Authorization: Bearer <token>}:
 * 32 random bytes from {@link SecureRandom}, hex-encoded (64 characters), in
 * {@code <data>/admin/token}. The node creates the file once, readable and writable by its owner
 * only, and keeps it across restarts. Any user who can read the file can delete and restore.
 */
public final class AdminToken {

    static final int TOKEN_BYTES = 32;
    static final int TOKEN_HEX_LENGTH = TOKEN_BYTES * 2;

    /** Cap on what is read from the token file, so a wrong file is never read whole. */
    private static final int MAX_FILE_BYTES = 1024;

    static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final byte[] token;

    private AdminToken(byte[] token) {
        this.token = token;
    }

    /** Returns {@code <data>/admin}, which contains the token and the endpoint file. */
    public static Path adminDirectoryOf(Path dataDirectory) {
        return dataDirectory.resolve("admin");
    }

    public static Path tokenFileOf(Path dataDirectory) {
        return adminDirectoryOf(dataDirectory).resolve("token");
    }

    /**
     * Reads the node's token, or creates it on first start: a temporary file created with
     * permissions rw-------, written, fsynced, renamed to {@code token}, and the directory fsynced.
     * No chmod is needed, so the token is never readable by others, not even for a moment.
     *
     * @throws AdminTokenException when an existing token file is readable or writable by group or
     *     others, or is not a token
     */
    public static AdminToken loadOrCreateAndFsync(Path dataDirectory) throws IOException, AdminTokenException {
        Path directory = adminDirectoryOf(dataDirectory);
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            Fsync.fsyncDirectory(dataDirectory);
        }
        Path tokenFile = tokenFileOf(dataDirectory);
        if (Files.exists(tokenFile)) {
            requireOwnerOnly(tokenFile);
            return new AdminToken(readTokenFile(tokenFile));
        }
        return createAndFsync(tokenFile);
    }

    /**
     * Reads the token for a client such as the CLI, which runs as the same operating-system user
     * as the node.
     *
     * @throws AdminTokenException when the file is missing, unreadable or not a token; the message
     *     names the file and the fix
     */
    public static String readForClient(Path dataDirectory) throws AdminTokenException {
        Path tokenFile = tokenFileOf(dataDirectory);
        try {
            return new String(readTokenFile(tokenFile), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new AdminTokenException("The admin token file " + tokenFile + " does not exist; a running node "
                    + "creates it at start, so start one with 'arca serve --data " + dataDirectory + "'.", e);
        } catch (AccessDeniedException e) {
            throw new AdminTokenException("Reading the admin token file " + tokenFile + " was denied; run this "
                    + "command as the operating-system user that runs 'arca serve' (the file's owner).", e);
        } catch (IOException e) {
            throw new AdminTokenException("Reading the admin token file " + tokenFile + " failed: " + e
                    + "; check the file, or delete it and restart the node to create a new token.", e);
        }
    }

    /** Compares a presented token with this one in time that does not depend on where they differ. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static AdminToken createAndFsync(Path tokenFile) throws IOException {
        byte[] random = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(random);
        byte[] hex = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);

        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
        Path temporary = Files.createTempFile(tokenFile.getParent(), "token-", ".tmp", ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(hex));
                channel.force(true);
            }
            Fsync.moveAtomicallyAndFsync(temporary, tokenFile);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return new AdminToken(hex);
    }

    private static void requireOwnerOnly(Path tokenFile) throws IOException, AdminTokenException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(tokenFile);
        Set<PosixFilePermission> others = EnumSet.copyOf(permissions);
        others.removeAll(OWNER_ONLY_DIRECTORY);
        if (!others.isEmpty()) {
            throw new AdminTokenException("The admin token file " + tokenFile + " has permissions "
                    + PosixFilePermissions.toString(permissions) + ", so other users can read or change it; "
                    + "run 'chmod 600 " + tokenFile + "' and start again.", null);
        }
    }

    /** Reads at most {@link #MAX_FILE_BYTES} and checks that the content is 64 hex characters. */
    private static byte[] readTokenFile(Path tokenFile) throws IOException, AdminTokenException {
        byte[] content;
        try (InputStream in = Files.newInputStream(tokenFile)) {
            content = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        boolean hex = text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        if (content.length > MAX_FILE_BYTES || text.length() != TOKEN_HEX_LENGTH || !hex) {
            throw new AdminTokenException("The admin token file " + tokenFile + " does not contain a token of "
                    + TOKEN_HEX_LENGTH + " lower-case hex characters; delete it and restart the node to create "
                    + "a new one.", null);
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
