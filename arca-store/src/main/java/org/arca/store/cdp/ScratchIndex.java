package org.arca.store.cdp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.arca.store.index.Index;
import org.arca.store.ingest.IndexChange;
import org.arca.store.ingest.JournalRecordApplier;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.retention.CheckpointBases;
import org.arca.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary index holding the archive as of one journal sequence: the journal prefix up to
 * that sequence replayed through {@link JournalRecordApplier}, the same path live updates take.
 * It lives in a directory of its own under the data directory, which {@link #close()} deletes.
 *
 * <p>Not thread-safe; one caller uses it and closes it.
 */
public final class ScratchIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchIndex.class);

    /** Records per index transaction while replaying: large batches make the replay fast, as in a rebuild. */
    private static final int RECORDS_PER_TRANSACTION = 5_000;

    /** The directory under the data directory that contains scratch indexes while they are in use. */
    static final String DIRECTORY = "restore-scratch";

    private final Path directory;
    private final Index index;

    private ScratchIndex(Path directory, Index index) {
        this.directory = directory;
        this.index = index;
    }

    /**
     * Replays journal records 1 to {@code toSequence} into a new index under {@code dataRoot}, or,
     * when compaction removed the journal's start, copies the newest verified checkpoint at or below
     * {@code toSequence} and replays the records after it. A {@code toSequence} of 0 gives an empty index.
     */
    public static ScratchIndex replay(Path dataRoot, Journal journal, long toSequence) throws IOException {
        Path directory = dataRoot.resolve(DIRECTORY).resolve(UUID.randomUUID().toString());
        Files.createDirectories(directory);
        long fromSequence = 1;
        if (journal.firstSequence() > 1) {
            // Compaction removed the journal's start: begin at a verified checkpoint instead.
            fromSequence = CheckpointBases.copyNewestVerified(dataRoot, journal.firstSequence(), toSequence,
                    Long.MAX_VALUE, directory.resolve("arca.sqlite")).journalSequence() + 1;
        }
        Index index = Index.open(directory.resolve("arca.sqlite"));
        ScratchIndex scratch = new ScratchIndex(directory, index);
        try {
            scratch.applyJournalPrefix(journal, fromSequence, toSequence);
            return scratch;
        } catch (IOException | RuntimeException e) {
            try {
                scratch.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Replays the records from {@code fromSequence} to {@code toSequence}, {@link #RECORDS_PER_TRANSACTION}
     * per index transaction.
     */
    private void applyJournalPrefix(Journal journal, long fromSequence, long toSequence) throws IOException {
        long applied = 0;
        List<IndexChange> batch = new ArrayList<>();
        try (JournalReader reader = journal.read(fromSequence)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.sequence() > toSequence) {
                    break;
                }
                batch.add(JournalRecordApplier.changeOf(record));
                applied++;
                if (batch.size() == RECORDS_PER_TRANSACTION) {
                    applyInOneTransaction(batch);
                }
            }
        }
        applyInOneTransaction(batch);
        LOG.debug("Replayed {} journal records up to sequence {} into scratch index {}.", applied, toSequence,
                directory);
    }

    private void applyInOneTransaction(List<IndexChange> batch) {
        index.applyInOneTransaction(() -> batch.forEach(change -> change.applyTo(index)));
        batch.clear();
    }

    public Index index() {
        return index;
    }

    /**
     * Deletes scratch indexes that a stopped process left behind; called at start, before any
     * restore runs.
     */
    public static void deleteLeftovers(Path dataRoot) throws IOException {
        Path leftovers = dataRoot.resolve(DIRECTORY);
        if (Files.exists(leftovers)) {
            LOG.info("Deleting scratch indexes left behind by an earlier restore in {}.", leftovers);
            deleteTree(leftovers);
        }
    }

    /** Closes the index and deletes its directory. */
    @Override
    public void close() throws IOException {
        index.close();
        deleteTree(directory);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
