package org.arca.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.arca.store.StorageException.Kind;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.TempBlob;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalOptions;
import org.arca.store.journal.JournalReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full file system: a 2 MiB tmpfs, filled with a filler file. Each test checks that the failure
 * is classified NO_SPACE, leaves nothing partial, and that the store works again once the filler
 * is deleted. Needs root (to mount); skipped otherwise.
 */
class NoSpaceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:15:30Z"), ZoneOffset.UTC);
    private static final long SEED = 4242L;

    @TempDir
    Path tempDir;

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mountPoint = Files.createDirectory(tempDir.resolve("small"));
        CommandResult result = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.toString());
        assumeTrue(result.exitCode == 0, "Skipping the no-space test: mounting a 2 MiB tmpfs at " + mountPoint
                + " failed (it needs root and permission to mount): " + result.output);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            CommandResult result = run("umount", mountPoint.toString());
            assertThat(result.exitCode).as("umount %s: %s", mountPoint, result.output).isZero();
        }
    }

    @Test
    void journalAppendFailsThenWorksAfterFreeingSpace() throws Exception {
        Path journalDir = mountPoint.resolve("journal");
        try (Journal journal = Journal.open(journalDir, CLOCK, JournalOptions.defaults())) {
            assertThat(journal.appendAndForce(1, "before".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
            Path segment = journalDir.resolve("00000000000000000001.seg");
            long durableSize = Files.size(segment);
            Path filler = fill();

            assertThatThrownBy(() -> journal.appendAndForce(1, randomBytes(256 * 1024)))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NO_SPACE);
                        assertThat(e.path()).isEqualTo(segment);
                    });
            assertThat(segment).hasSize(durableSize);
            assertThat(journal.lastSequence()).isEqualTo(1);

            Files.delete(filler);
            assertThat(journal.appendAndForce(1, randomBytes(256 * 1024))).isEqualTo(2);
        }

        try (Journal reopened = Journal.open(journalDir, CLOCK, JournalOptions.defaults());
                JournalReader reader = reopened.read(1)) {
            assertThat(reopened.recoveryReport().isClean()).isTrue();
            assertThat(reader.next().sequence()).isEqualTo(1);
            assertThat(reader.next().sequence()).isEqualTo(2);
            assertThat(reader.hasNext()).isFalse();
            assertThat(reopened.verify().isOk()).isTrue();
        }
    }

    @Test
    void segmentRollFailsThenWorksAfterFreeingSpace() throws Exception {
        Path journalDir = mountPoint.resolve("journal");
        JournalOptions options = JournalOptions.defaults().withSegmentSizeBytes(4096);
        Path secondSegment = journalDir.resolve("00000000000000000002.seg");
        try (Journal journal = Journal.open(journalDir, CLOCK, options)) {
            assertThat(journal.appendAndForce(1, randomBytes(4000))).isEqualTo(1);
            Path filler = fill();

            assertThatThrownBy(() -> journal.appendAndForce(1, randomBytes(100)))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NO_SPACE);
                        assertThat(e.path()).isEqualTo(secondSegment);
                    });
            assertThat(secondSegment).doesNotExist();

            Files.delete(filler);
            assertThat(journal.appendAndForce(1, randomBytes(100))).isEqualTo(2);
            assertThat(secondSegment).exists();
        }

        try (Journal reopened = Journal.open(journalDir, CLOCK, options)) {
            assertThat(reopened.recoveryReport().isClean()).isTrue();
            assertThat(reopened.lastSequence()).isEqualTo(2);
        }
    }

    @Test
    void blobPublishFailsThenWorksAfterFreeingSpace() throws Exception {
        BlobStore store = BlobStore.open(mountPoint.resolve("blobs"));
        byte[] bytes = randomBytes(1024 * 1024);
        Path filler = fill();

        assertThatThrownBy(() -> write(store, bytes))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_SPACE));
        assertThat(list(store.root().resolve("tmp"))).isEmpty();
        try (Stream<BlobId> ids = store.list()) {
            assertThat(ids).isEmpty();
        }

        Files.delete(filler);
        BlobId id = write(store, bytes);
        assertThat(store.verify(id).isOk()).isTrue();
        assertThat(store.size(id)).isEqualTo(bytes.length);
    }

    private static BlobId write(BlobStore store, byte[] bytes) throws IOException {
        try (TempBlob temp = store.createTemp()) {
            OutputStream out = temp.outputStream();
            out.write(bytes);
            return store.publishAndFsync(temp);
        }
    }

    /** Writes a filler file until the file system is full; at most 64 MiB in 64 KiB chunks. */
    private Path fill() throws IOException {
        Path filler = mountPoint.resolve("filler");
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1024; i++) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("No space left on device");
            return filler;
        }
        throw new AssertionError("The 2 MiB tmpfs at " + mountPoint + " did not fill up after 64 MiB");
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(SEED).nextBytes(bytes);
        return bytes;
    }

    private static java.util.List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private record CommandResult(int exitCode, String output) {
    }

    private static CommandResult run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new CommandResult(-1, String.join(" ", command) + " timed out after 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CommandResult(process.exitValue(), output);
    }
}
