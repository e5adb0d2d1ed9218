package org.arca.store.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of the archive in one embedded SQLite file: patients, studies,
 * series, SOP Instances and every stored version of each instance.
 *
 * <p>The index is derived from the journal. It may lag behind the journal and
 * can be rebuilt from it, so a lost or damaged index file loses no data. The
 * server replays the journal records after {@link #lastAppliedJournalSequence()}
 * at start.
 *
 * <p>Thread-safety: all methods are safe to call from any thread. Writes go
 * through one writer connection under a lock, one transaction per call.
 * Reads run on separate reader connections in WAL mode. Each call reads in
 * one transaction, so it sees one committed state and does not wait for a
 * write in progress.
 */
public final class Index implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Index.class);

    private final IndexConnections connections;
    private volatile boolean closed;
    /** True while {@link #applyInOneTransaction} runs; read and written only under the writer lock. */
    private boolean inBatch;

    private Index(IndexConnections connections) {
        this.connections = connections;
    }

    /** Opens or creates the index file, creating its parent directories, and migrates its schema. */
    public static Index open(Path sqliteFile) {
        try {
            Path parent = sqliteFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IndexException("Failed to create the directory of index file " + sqliteFile
                    + "; check that the data directory exists and is writable.", e);
        }

        IndexConnections connections;
        try {
            connections = new IndexConnections(sqliteFile);
        } catch (SQLException e) {
            throw new IndexException("Failed to open index file " + sqliteFile + ": " + e.getMessage()
                    + ". If the file is damaged, move it aside and rebuild the index from the journal.", e);
        }
        try {
            String schemaVersion = IndexMigrations.migrate(connections.dataSource());
            Index index = new Index(connections);
            LOG.info("Opened index {} with schema version {}, last applied journal sequence {}.",
                    sqliteFile, schemaVersion, index.lastAppliedJournalSequence());
            return index;
        } catch (RuntimeException e) {
            closeAfterFailure(connections, e);
            throw e;
        }
    }

    private static void closeAfterFailure(IndexConnections connections, RuntimeException failure) {
        try {
            connections.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Applies one INSTANCE_STORED journal record in one transaction: upserts
     * the patient, study and series, adds the instance version, makes the
     * highest version current and records the journal sequence as applied.
     * Applying the same record again changes nothing. Callers apply records in
     * journal order.
     *
     * @return true when the record was applied, false when the index already contained it
     * @throws IndexException when SQLite fails (the transaction is rolled back) or the
     *     record conflicts with a stored version
     */
    public boolean applyInstanceStored(InstanceRecord record) {
        Connection writer = lockOpenWriter();
        try {
            return commitRetryingWhenBusy(writer, "apply journal record " + record.journalSequence(), () ->
                    new InstanceStoredApplier(writer).apply(record));
        } catch (SQLException | RuntimeException e) {
            rollback(writer, e);
            if (e instanceof IndexException indexException) {
                throw indexException;
            }
            throw new IndexException("Failed to apply journal record " + record.journalSequence()
                    + " (SOP Instance " + record.sopInstanceUid() + ", version " + record.version()
                    + ") to index " + connections.sqliteFile() + ": " + e.getMessage()
                    + ". The index is unchanged; retry, or rebuild the index from the journal.", e);
        } finally {
            connections.unlockWriter();
        }
    }

    /**
     * Applies the index change of one DELETED, UNDELETED, STUDY_UPDATED or RESTORED journal record
     * in one transaction and records its sequence as applied. Applying it again changes nothing.
     *
     * @return true when the record was applied, false when the index already contained it
     * @throws IndexException when SQLite fails; the transaction is rolled back
     */
    public boolean applyEdit(long journalSequence, IndexEdit edit) {
        Connection writer = lockOpenWriter();
        try {
            return commitRetryingWhenBusy(writer, "apply journal record " + journalSequence, () ->
                    new IndexEditApplier(writer).apply(journalSequence, edit));
        } catch (SQLException | RuntimeException e) {
            rollback(writer, e);
            if (e instanceof IndexException indexException) {
                throw indexException;
            }
            throw new IndexException("Failed to apply journal record " + journalSequence + " ("
                    + edit.hiddenSopInstanceUids().size() + " instances hidden, "
                    + edit.shownSopInstanceUids().size() + " shown, "
                    + edit.studyUpdates().size() + " studies updated) to index " + connections.sqliteFile() + ": "
                    + e.getMessage() + ". The index is unchanged; retry, or rebuild the index from the journal.", e);
        } finally {
            connections.unlockWriter();
        }
    }

    /**
     * Records that every journal record up to {@code journalSequence} is in the index, for records
     * that change nothing else (such as Storage Commitment records at the end of a rebuilt journal).
     * Never lowers the recorded sequence.
     */
    public void advanceLastAppliedJournalSequence(long journalSequence) {
        Connection writer = lockOpenWriter();
        try {
            InstanceStoredApplier.advanceLastApplied(writer, journalSequence);
            commitUnlessInBatch(writer);
        } catch (SQLException e) {
            rollback(writer, e);
            throw new IndexException("Failed to record journal sequence " + journalSequence + " as applied in index "
                    + connections.sqliteFile() + ": " + e.getMessage() + ". Retry, or rebuild the index.", e);
        } finally {
            connections.unlockWriter();
        }
    }

    /**
     * Runs {@code changes} (calls of this index's apply methods on the calling thread) in one
     * transaction, so that a rebuild commits thousands of records at once. Other threads wait for the
     * writer until it ends. All or nothing: when a change throws, the whole transaction is rolled
     * back and the exception is rethrown.
     */
    public void applyInOneTransaction(Runnable changes) {
        Connection writer = lockOpenWriter();
        try {
            if (inBatch) {
                throw new IllegalStateException("applyInOneTransaction does not nest; index " + connections.sqliteFile());
            }
            inBatch = true;
            runAndCommit(writer, changes);
        } finally {
            inBatch = false;
            connections.unlockWriter();
        }
    }

    private void runAndCommit(Connection writer, Runnable changes) {
        try {
            changes.run();
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(writer, e);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IndexException("Failed to commit a batch of journal records to index " + connections.sqliteFile()
                    + ": " + e.getMessage() + ". The index is unchanged by the batch.", e);
        }
    }

    /**
     * Commits one write, unless it runs inside {@link #applyInOneTransaction}, which commits at its end, so that
     * a rebuild batch stays one transaction. The apply methods commit through {@link #commitRetryingWhenBusy}.
     */
    private void commitUnlessInBatch(Connection writer) throws SQLException {
        if (!inBatch) {
            writer.commit();
        }
    }

    /**
     * Runs one apply call's changes on the locked writer and commits them, running both again when
     * SQLite reports the database busy ({@link BusyRetry}). Inside {@link #applyInOneTransaction} a
     * run again would lose the batch's earlier changes, so the failure goes to the batch, whose
     * caller replays it from the journal.
     */
    private <T> T commitRetryingWhenBusy(Connection writer, String description, BusyRetry.Transaction<T> changes)
            throws SQLException {
        if (inBatch) {
            return changes.run();
        }
        return BusyRetry.run(description, () -> {
            T result = changes.run();
            writer.commit();
            return result;
        }, failure -> rollback(writer, failure));
    }

    private Connection lockOpenWriter() {
        Connection writer = connections.lockWriter();
        if (closed) {
            connections.unlockWriter();
            throw new IllegalStateException("Index " + connections.sqliteFile() + " is closed.");
        }
        return writer;
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Returns the highest journal sequence applied to this index, 0 for an empty index. */
    public long lastAppliedJournalSequence() {
        return read("read the last applied journal sequence", InstanceStoredApplier::lastAppliedJournalSequence);
    }

    /** Returns the current version of a visible instance; empty for an unknown or deleted one. */
    public Optional<InstanceVersion> currentVersion(String sopInstanceUid) {
        return read("read the current version of SOP Instance " + sopInstanceUid,
                c -> IndexReads.currentVersion(c, sopInstanceUid));
    }

    /** Returns the current version even of a deleted instance, so that a new version gets the next number. */
    public Optional<InstanceVersion> currentVersionIncludingDeleted(String sopInstanceUid) {
        return read("read the current version of SOP Instance " + sopInstanceUid,
                c -> IndexReads.currentVersionIncludingDeleted(c, sopInstanceUid));
    }

    /** Returns the place and deleted state of a SOP Instance, deleted or not. */
    public Optional<InstanceState> instanceState(String sopInstanceUid) {
        return read("read the state of SOP Instance " + sopInstanceUid,
                c -> ChangeReads.instanceState(c, sopInstanceUid));
    }

    /** Lists every instance of the series with its deleted state. */
    public List<InstanceState> instanceStatesOfSeries(String seriesInstanceUid) {
        return read("read the instance states of Series " + seriesInstanceUid,
                c -> ChangeReads.instanceStatesOfSeries(c, seriesInstanceUid));
    }

    /** Lists every instance of the study, or of the whole index when {@code studyInstanceUid} is null. */
    public List<InstanceState> instanceStatesOfStudy(String studyInstanceUid) {
        return read("read the instance states of Study " + studyInstanceUid,
                c -> ChangeReads.instanceStatesOfStudy(c, studyInstanceUid));
    }

    /**
     * Returns the {@link UpdatableAttribute} values of one study, or of every study when
     * {@code studyInstanceUid} is null, keyed by Study Instance UID and then by keyword. Deleted
     * studies are included.
     */
    public Map<String, Map<String, String>> studyAttributes(String studyInstanceUid) {
        return read("read the attributes of Study " + studyInstanceUid,
                c -> ChangeReads.studyAttributes(c, studyInstanceUid));
    }

    /** Returns every version of the SOP Instance, oldest first. */
    public List<InstanceVersion> versions(String sopInstanceUid) {
        return read("read the versions of SOP Instance " + sopInstanceUid,
                c -> IndexReads.versions(c, sopInstanceUid));
    }

    /** Returns the version number that a new version of the SOP Instance gets: 1 for an unknown instance. */
    public int nextVersionNumber(String sopInstanceUid) {
        return read("read the next version number of SOP Instance " + sopInstanceUid,
                c -> IndexReads.nextVersionNumber(c, sopInstanceUid));
    }

    /** Finds the oldest version of the SOP Instance stored in the blob with this SHA-256 (64 lower-case hex). */
    public Optional<InstanceVersion> findVersionByBlob(String sopInstanceUid, String sha256) {
        return read("find SOP Instance " + sopInstanceUid + " by blob " + sha256,
                c -> IndexReads.findVersionByBlob(c, sopInstanceUid, sha256));
    }

    /**
     * Returns every stored version, deleted ones included, whose bytes are in the blob with this SHA-256
     * (64 lower-case hex), in journal order.
     */
    public List<InstanceVersion> versionsWithBlob(String sha256) {
        return read("find the versions stored in blob " + sha256, c -> IndexReads.versionsWithBlob(c, sha256));
    }

    /** Reads, in one transaction, what an ingest of the SOP Instance with blob {@code sha256} needs to decide. */
    public VersionCheck versionCheck(String sopInstanceUid, String sha256) {
        return read("check the versions of SOP Instance " + sopInstanceUid, c -> {
            int nextVersion = IndexReads.nextVersionNumber(c, sopInstanceUid);
            if (nextVersion == 1) {
                // No version is stored. Most ingests bring a new SOP Instance, so skipping the other two queries pays.
                return new VersionCheck(Optional.empty(), Optional.empty(), 1);
            }
            return new VersionCheck(IndexReads.findVersionByBlob(c, sopInstanceUid, sha256),
                    IndexReads.currentVersionIncludingDeleted(c, sopInstanceUid), nextVersion);
        });
    }

    public List<PatientEntry> patients() {
        return read("list patients", IndexReads::patients);
    }

    public List<StudyEntry> studies(long patientKey) {
        return read("list the studies of patient key " + patientKey, c -> IndexReads.studies(c, patientKey));
    }

    public Optional<StudyEntry> study(String studyInstanceUid) {
        return read("read Study " + studyInstanceUid, c -> IndexReads.study(c, studyInstanceUid));
    }

    public List<SeriesEntry> series(String studyInstanceUid) {
        return read("list the series of Study " + studyInstanceUid, c -> IndexReads.series(c, studyInstanceUid));
    }

    /**
     * Lists the current version of each visible instance of the series, or every version when
     * {@code allVersions}; deleted instances are left out.
     */
    public List<InstanceVersion> instancesOfSeries(String seriesInstanceUid, boolean allVersions) {
        return read("list the instances of Series " + seriesInstanceUid,
                c -> IndexReads.instancesOfSeries(c, seriesInstanceUid, allVersions));
    }

    /**
     * Lists the current version of each visible instance of the study, or every version when
     * {@code allVersions}; deleted instances are left out.
     */
    public List<InstanceVersion> instancesOfStudy(String studyInstanceUid, boolean allVersions) {
        return read("list the instances of Study " + studyInstanceUid,
                c -> IndexReads.instancesOfStudy(c, studyInstanceUid, allVersions));
    }

    public IndexCounts counts() {
        return read("count the rows of the index", IndexReads::counts);
    }

    public List<StudyEntry> studiesByPatientId(String patientId) {
        return read("find studies by PatientID " + patientId, c -> StudyLevelQueries.byPatientId(c, patientId));
    }

    /** Finds studies whose PatientName starts with the prefix, ignoring case. */
    public List<StudyEntry> studiesByPatientNamePrefix(String namePrefix) {
        return read("find studies by PatientName prefix " + namePrefix,
                c -> StudyLevelQueries.byPatientNamePrefix(c, namePrefix));
    }

    /** Finds studies with fromDate <= StudyDate <= toDate (DA, YYYYMMDD); a null bound leaves that side open. */
    public List<StudyEntry> studiesByStudyDateRange(String fromDate, String toDate) {
        return read("find studies by StudyDate " + fromDate + "-" + toDate,
                c -> StudyLevelQueries.byStudyDateRange(c, fromDate, toDate));
    }

    public List<StudyEntry> studiesByAccessionNumber(String accessionNumber) {
        return read("find studies by AccessionNumber " + accessionNumber,
                c -> StudyLevelQueries.byAccessionNumber(c, accessionNumber));
    }

    /** A read on a borrowed reader connection; all its statements see the same committed state. */
    @FunctionalInterface
    public interface Read<T> {
        T run(Connection reader) throws SQLException;
    }

    /**
     * Runs a read in one transaction on a reader connection, for queries built outside this
     * package. The read must not write and must not keep the connection after it returns.
     *
     * @param what what the read does, for the error message
     * @throws IndexException when SQLite fails
     */
    public <T> T read(String what, Read<T> read) {
        if (closed) {
            throw new IllegalStateException("Index " + connections.sqliteFile() + " is closed.");
        }
        try {
            Connection reader = connections.borrowReader();
            try {
                T result = read.run(reader);
                reader.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(reader, e);
                throw e;
            } finally {
                connections.releaseReader(reader);
            }
        } catch (SQLException e) {
            throw new IndexException("Failed to " + what + " in index " + connections.sqliteFile() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A write on the locked writer connection, inside the transaction of one journal record. */
    @FunctionalInterface
    public interface Write {
        void run(Connection writer) throws SQLException;
    }

    /**
     * Applies the index effect of one journal record, for record types whose tables live outside
     * this package (such as retention's), in one transaction that also records the sequence as
     * applied. A record at or below the last applied sequence is skipped, so replays are harmless.
     *
     * @param what what the write does, for the error message
     * @return true when the record was applied, false when the index already contained it
     * @throws IndexException when SQLite fails; the index is unchanged
     */
    public boolean applyRecord(long journalSequence, String what, Write write) {
        Connection writer = lockOpenWriter();
        try {
            return commitRetryingWhenBusy(writer, what, () -> {
                if (journalSequence <= InstanceStoredApplier.lastAppliedJournalSequence(writer)) {
                    return false;
                }
                write.run(writer);
                Jdbc.update(writer, "UPDATE index_state SET last_applied_journal_sequence = ? WHERE id = 1",
                        journalSequence);
                return true;
            });
        } catch (SQLException | RuntimeException e) {
            rollback(writer, e);
            throw new IndexException("Failed to " + what + " (journal record " + journalSequence + ") in index "
                    + connections.sqliteFile() + ": " + e.getMessage()
                    + ". The index is unchanged; retry, or rebuild the index from the journal.", e);
        } finally {
            connections.unlockWriter();
        }
    }

    /**
     * Records that the index contains every journal record up to {@code journalSequence}, after records
     * that change nothing in it (Storage Commitment, blob damage). Without this the stored sequence would
     * stay at the last record that changed the index, and each start would replay the others again.
     */
    public void markAppliedUpTo(long journalSequence) {
        applyRecord(journalSequence, "record the applied journal sequence", writer -> { });
    }

    /**
     * Copies the committed state of the index into a new SQLite file with {@code VACUUM INTO}, on
     * a connection of its own, so that reads and writes go on meanwhile. The copy is not fsynced.
     *
     * @throws IndexException when SQLite fails or {@code target} exists already
     */
    public void copyInto(Path target) {
        if (closed) {
            throw new IllegalStateException("Index " + connections.sqliteFile() + " is closed.");
        }
        try (Connection connection = connections.dataSource().getConnection();
                java.sql.PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, target.toAbsolutePath().toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new IndexException("Failed to copy index " + connections.sqliteFile() + " into " + target
                    + ": " + e.getMessage() + ". Check free space and that the target does not exist.", e);
        }
    }

    /** Closes every connection; a read that is still running finishes on its own connection. */
    @Override
    public void close() {
        closed = true;
        try {
            connections.close();
        } catch (SQLException e) {
            throw new IndexException("Failed to close index " + connections.sqliteFile() + ": " + e.getMessage(), e);
        }
    }
}
