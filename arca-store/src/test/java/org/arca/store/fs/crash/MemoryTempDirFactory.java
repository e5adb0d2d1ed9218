package org.arca.store.fs.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Creates temporary directories in {@code /dev/shm} (a tmpfs on Linux) when it is a writable
 * directory, else in the default temporary directory. The crash tests write and delete a data
 * directory per crash state; on a disk this I/O takes most of their time.
 */
final class MemoryTempDirFactory implements TempDirFactory {

    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        if (Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)) {
            return Files.createTempDirectory(SHARED_MEMORY, "arca-crash-");
        }
        return Files.createTempDirectory("arca-crash-");
    }
}
