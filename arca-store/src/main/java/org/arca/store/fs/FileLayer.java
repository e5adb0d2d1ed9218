package org.arca.store.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The file operations through which the blob store and the journal reach the disk. Production uses
 * {@link #nio()}, which maps each method to one NIO call; tests substitute a layer that records
 * every write, force, rename and directory fsync to replay the states a power loss can leave, or
 * one that injects I/O errors.
 *
 * <p>Durability contract, the same as POSIX: data written through a channel is durable only after
 * {@link FileChannel#force} on that channel returns; a created, renamed or deleted name is durable
 * only after {@link #fsyncDirectory} of the directory that contains it returns. An implementation
 * must not promise more.
 *
 * <p>Implementations are safe for concurrent use.
 */
public interface FileLayer {

    /** Returns the layer of the real file system, which makes plain NIO calls without copies or bookkeeping. */
    static FileLayer nio() {
        return NioFileLayer.INSTANCE;
    }

    /**
     * Opens a file like {@link FileChannel#open(Path, OpenOption...)}. Writes, truncates and forces
     * go through the returned channel.
     */
    FileChannel open(Path file, OpenOption... options) throws IOException;

    /** Forces the entries of {@code directory} (created, renamed and deleted names) to the storage device. */
    void fsyncDirectory(Path directory) throws IOException;

    /**
     * Renames {@code source} to {@code target} atomically, replacing {@code target}. Each name change
     * is durable after an fsync of its directory.
     */
    void rename(Path source, Path target) throws IOException;

    /** Creates one directory, or throws {@link java.nio.file.FileAlreadyExistsException} if the name exists. */
    void createDirectory(Path directory) throws IOException;

    /** Deletes a file or an empty directory, or throws {@link java.nio.file.NoSuchFileException} if it is missing. */
    void delete(Path path) throws IOException;

    /** Deletes a file or an empty directory if it exists, and returns whether it existed. */
    boolean deleteIfExists(Path path) throws IOException;

    /** Removes every write permission of {@code file} (read-only for everyone). */
    void setReadOnly(Path file) throws IOException;

    /** Returns the size of a file in bytes. */
    long size(Path file) throws IOException;

    boolean isRegularFile(Path path);

    boolean isDirectory(Path path);

    /** Lists the entries of a directory. The caller closes the stream. */
    DirectoryStream<Path> list(Path directory) throws IOException;

    /** Opens a file for reading. The caller closes the stream. */
    InputStream newInputStream(Path file) throws IOException;
}
