package org.arca.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Scratch directories for the benchmarks that write. They live under the system property
 * {@code arca.bench.dir} (default: the JVM's temporary directory), which must be on the file system
 * being measured: a tmpfs there would measure memory, not the disk.
 */
final class BenchDirectories {

    private BenchDirectories() {
    }

    static Path create(String prefix) {
        try {
            Path parent = Path.of(System.getProperty("arca.bench.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create a scratch directory for a benchmark", e);
        }
    }

    static void deleteRecursively(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to delete the benchmark scratch directory " + root, e);
        }
    }
}
