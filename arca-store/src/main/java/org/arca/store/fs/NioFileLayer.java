package org.arca.store.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The {@link FileLayer} of the real file system. Stateless and thread-safe. */
final class NioFileLayer implements FileLayer {

    static final NioFileLayer INSTANCE = new NioFileLayer();

    private NioFileLayer() {
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, options);
    }

    /** Linux allows fsync on a directory opened read-only. */
    @Override
    public void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void createDirectory(Path directory) throws IOException {
        Files.createDirectory(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.delete(path);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return Files.deleteIfExists(path);
    }

    @Override
    public void setReadOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        } catch (UnsupportedOperationException e) {
            // A file system without POSIX permissions: the DOS read-only flag is the closest.
            file.toFile().setReadOnly();
        }
    }

    @Override
    public long size(Path file) throws IOException {
        return Files.size(file);
    }

    @Override
    public boolean isRegularFile(Path path) {
        return Files.isRegularFile(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return Files.isDirectory(path);
    }

    @Override
    public DirectoryStream<Path> list(Path directory) throws IOException {
        return Files.newDirectoryStream(directory);
    }

    @Override
    public InputStream newInputStream(Path file) throws IOException {
        return Files.newInputStream(file);
    }
}
