package org.arca.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncTest {

    @TempDir
    Path dir;

    @Test
    void moveReplacesTargetAcrossDirectories() throws IOException {
        Path source = Files.writeString(dir.resolve("a.tmp"), "new", StandardCharsets.UTF_8);
        Files.createDirectory(dir.resolve("b"));
        Path target = Files.writeString(dir.resolve("b/target"), "old", StandardCharsets.UTF_8);

        Fsync.moveAtomicallyAndFsync(source, target);

        assertThat(source).doesNotExist();
        assertThat(target).hasContent("new");
    }

    @Test
    void moveFsyncingTargetOnlyRenames() throws IOException {
        Path source = Files.writeString(dir.resolve("a.tmp"), "new", StandardCharsets.UTF_8);
        Path target = Files.createDirectory(dir.resolve("b")).resolve("target");

        Fsync.moveAtomicallyAndFsyncTargetDirectory(source, target);

        assertThat(source).doesNotExist();
        assertThat(target).hasContent("new");
    }

    @Test
    void moveFsyncingTargetOnlyOfMissingSourceThrows() {
        assertThatThrownBy(() -> Fsync.moveAtomicallyAndFsyncTargetDirectory(dir.resolve("missing"),
                dir.resolve("target"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void moveOfMissingSourceThrows() {
        assertThatThrownBy(() -> Fsync.moveAtomicallyAndFsync(dir.resolve("missing"), dir.resolve("target")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void createDirectoriesCreatesEveryLevel() throws IOException {
        Path nested = dir.resolve("ab/cd/ef");

        Fsync.createDirectoriesAndFsync(nested);
        Fsync.createDirectoriesAndFsync(nested);

        assertThat(nested).isDirectory();
    }

    @Test
    void createDirectoriesOverFileThrows() throws IOException {
        Files.writeString(dir.resolve("file"), "x", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Fsync.createDirectoriesAndFsync(dir.resolve("file/sub")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void fsyncFileAndDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x", StandardCharsets.UTF_8);

        Fsync.fsyncFile(file);
        Fsync.fsyncDirectory(dir);

        assertThatThrownBy(() -> Fsync.fsyncFile(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }
}
