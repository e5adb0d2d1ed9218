package org.arca.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.arca.store.StorageException;
import org.arca.store.StorageException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFailuresTest {

    @TempDir
    Path dir;

    @Test
    void enospcMessageIsNoSpace() {
        Path file = dir.resolve("blob");
        IOException enospc = new FileSystemException(file.toString(), null, "No space left on device");

        StorageException classified = StorageFailures.classify(enospc, file);

        assertThat(classified.kind()).isEqualTo(Kind.NO_SPACE);
        assertThat(classified.path()).isEqualTo(file);
        assertThat(classified).hasMessageContaining(file.toString()).hasMessageContaining("Free space");
        assertThat(classified.getCause()).isSameAs(enospc);
    }

    @Test
    void enospcInCauseIsNoSpace() {
        IOException wrapped = new IOException("write failed", new IOException("No space left on device"));

        assertThat(StorageFailures.classify(wrapped, dir).kind()).isEqualTo(Kind.NO_SPACE);
    }

    @Test
    void otherErrorIsIoError() {
        Path file = dir.resolve("missing");

        StorageException classified = StorageFailures.classify(new NoSuchFileException(file.toString()), file);

        assertThat(classified.kind()).isEqualTo(Kind.IO_ERROR);
        assertThat(classified).hasMessageContaining(file.toString());
    }

    @Test
    void storageExceptionPassesUnchanged() {
        StorageException original = new StorageException(Kind.NO_SPACE, dir, "full", null);

        assertThat(StorageFailures.classify(original, dir.resolve("other"))).isSameAs(original);
    }
}
