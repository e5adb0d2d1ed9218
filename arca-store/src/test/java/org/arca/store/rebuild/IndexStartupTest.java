package org.arca.store.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arca.store.TestClock;
import org.arca.store.DataDirectory;
import org.arca.store.index.Index;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexStartupTest {

    private static final long SEED = 4242L;
    private static final Instant START = Instant.parse("2026-12-02T09:30:00Z");

    @TempDir
    Path temp;

    private Path data;
    private Path indexFile;

    @BeforeEach
    void createDataDirectoryWith200Instances() throws IOException {
        data = temp.resolve("data");
        indexFile = DataDirectory.indexOf(data);
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            new SyntheticJournal(SEED).appendInstances(directory.journal(), 200);
        }
    }

    @Test
    void missingIndexRebuilt() throws IOException {
        Map<String, List<String>> expected = IndexRebuilderTest.dumpOfDataDirectory(data);
        Files.delete(indexFile);

        assertThat(IndexRebuilderTest.dumpOfDataDirectory(data)).as("seed %d", SEED).isEqualTo(expected);
    }

    @Test
    void corruptPageMovedAsideAndRebuilt() throws IOException {
        Map<String, List<String>> expected = IndexRebuilderTest.dumpOfDataDirectory(data);
        long seed = SEED + 1;
        overwriteMiddlePage(indexFile, seed);

        assertThat(IndexRebuilderTest.dumpOfDataDirectory(data)).as("seed %d", seed).isEqualTo(expected);
        assertThat(asideFiles("arca.sqlite.corrupt-")).as("seed %d", seed).hasSize(1);
    }

    @Test
    void notADatabaseMovedAsideAndRebuilt() throws IOException {
        Map<String, List<String>> expected = IndexRebuilderTest.dumpOfDataDirectory(data);
        byte[] garbage = new byte[64 * 1024];
        new Random(SEED).nextBytes(garbage);
        Files.write(indexFile, garbage);

        assertThat(IndexRebuilderTest.dumpOfDataDirectory(data)).isEqualTo(expected);
        List<Path> aside = asideFiles("arca.sqlite.corrupt-");
        assertThat(aside).hasSize(1);
        assertThat(Files.readAllBytes(aside.get(0))).isEqualTo(garbage);
    }

    @Test
    void indexAheadOfJournalMovedAsideAndRebuilt() throws Exception {
        Path journalBackup = temp.resolve("journal-backup");
        copyDirectory(DataDirectory.journalOf(data), journalBackup);
        Map<String, List<String>> expected = IndexRebuilderTest.dumpOfDataDirectory(data);
        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            new SyntheticJournal(SEED + 2).appendInstances(directory.journal(), 50);
        }
        IndexRebuilderTest.dumpOfDataDirectory(data);
        replaceDirectory(DataDirectory.journalOf(data), journalBackup);

        assertThat(IndexRebuilderTest.dumpOfDataDirectory(data)).isEqualTo(expected);
        List<Path> aside = asideFiles("arca.sqlite.ahead-");
        assertThat(aside).hasSize(1);
        try (Index old = Index.open(aside.get(0))) {
            assertThat(old.lastAppliedJournalSequence()).isEqualTo(250);
        }
    }

    @Test
    void indexBehindJournalCaughtUp() throws Exception {
        Path other = temp.resolve("other");
        try (DataDirectory directory = DataDirectory.openForWriting(other, new TestClock(START))) {
            SyntheticJournal generator = new SyntheticJournal(SEED);
            generator.appendInstances(directory.journal(), 200);
            generator.appendInstances(directory.journal(), 30);
        }
        Map<String, List<String>> expected = IndexRebuilderTest.dumpOfDataDirectory(other);
        SyntheticJournal generator = new SyntheticJournal(SEED);
        generator.appendInstances(discardingJournal(), 200);
        try (Journal journal = Journal.open(DataDirectory.journalOf(data), new TestClock(START),
                JournalOptions.defaults())) {
            generator.appendInstances(journal, 30);
        }

        try (DataDirectory directory = DataDirectory.openForWriting(data, new TestClock(START))) {
            assertThat(directory.index().lastAppliedJournalSequence()).isEqualTo(230);
            assertThat(SyntheticJournal.dump(directory.index())).as("seed %d", SEED).isEqualTo(expected);
        }
        assertThat(asideFiles("arca.sqlite.")).isEmpty();
    }

    /** A journal in its own directory, to advance a generator past records already in the data directory. */
    private Journal discardingJournal() throws IOException {
        return Journal.open(temp.resolve("discarded-" + System.nanoTime()), new TestClock(START),
                JournalOptions.defaults());
    }

    /** Overwrites one page in the middle of the file with random bytes, leaving the header intact. */
    private static void overwriteMiddlePage(Path file, long seed) throws IOException {
        byte[] page = new byte[4096];
        new Random(seed).nextBytes(page);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = raf.length() / 2 / page.length * page.length;
            assertThat(middle).as("index file too small to have a middle page").isGreaterThan(page.length);
            raf.seek(middle);
            raf.write(page);
        }
    }

    private List<Path> asideFiles(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(indexFile.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    private static void copyDirectory(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    private static void replaceDirectory(Path directory, Path replacement) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        copyDirectory(replacement, directory);
    }
}
