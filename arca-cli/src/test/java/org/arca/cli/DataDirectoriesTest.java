package org.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.arca.store.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that the operator commands run on --data before they open anything. */
class DataDirectoriesTest {

    @TempDir
    Path temp;

    @Test
    void missingDirectoryIsNamed() {
        Path missing = temp.resolve("no-such-dir");

        assertThatThrownBy(() -> DataDirectories.requireExisting(missing))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--data " + missing + " does not exist");
    }

    @Test
    void directoryWithoutJournalIsNotArca() throws Exception {
        Path empty = Files.createDirectories(temp.resolve("empty"));

        assertThatThrownBy(() -> DataDirectories.requireExisting(empty))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("is not an Arca data directory");
    }

    @Test
    void emptyDataOptionIsRejected() {
        assertThatThrownBy(() -> DataDirectories.requireExisting(Path.of("")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--data is empty");
    }

    /** A lock held through another channel counts as a running node; none, or a free one, does not. */
    @Test
    void heldLockMeansRunningNode() throws Exception {
        Path data = Files.createDirectories(temp.resolve("arca-data"));
        assertThat(DataDirectories.heldByRunningNode(data)).as("no lock file").isFalse();

        Path lockFile = DataDirectory.lockFileOf(data);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            assertThat(DataDirectories.heldByRunningNode(data)).as("lock held").isTrue();
        }

        assertThat(DataDirectories.heldByRunningNode(data)).as("lock released").isFalse();
    }
}
