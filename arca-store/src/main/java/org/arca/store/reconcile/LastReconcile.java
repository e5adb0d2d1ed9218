package org.arca.store.reconcile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.arca.store.fs.Fsync;

/**
 * The report of the last reconciliation, {@code <data>/reconcile/last.json}: written by every
 * run, read by {@code arca status}. The JSON is a {@link ReconcileReport} with its magic value
 * and format version.
 */
public final class LastReconcile {

    static final String FILE_NAME = "last.json";

    /** The report lists at most a few thousand mismatches, far below this. */
    private static final long MAX_SIZE_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private LastReconcile() {
    }

    public static Path pathOf(Path dataDirectory) {
        return Reconciler.directoryOf(dataDirectory).resolve(FILE_NAME);
    }

    /**
     * Reads the last report; empty when no reconciliation has run yet.
     *
     * @throws IOException when the file cannot be read, is too large, or has another magic value or
     *     an unknown format version
     */
    public static Optional<ReconcileReport> read(Path dataDirectory) throws IOException {
        Path file = pathOf(dataDirectory);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        long size = Files.size(file);
        if (size > MAX_SIZE_BYTES) {
            throw new IOException(file + " has " + size + " bytes, more than the " + MAX_SIZE_BYTES
                    + " a reconcile report may have; move it aside and run 'arca reconcile' again.");
        }
        ReconcileReport report = JSON.readValue(Files.readAllBytes(file), ReconcileReport.class);
        if (!ReconcileReport.MAGIC.equals(report.magic()) || report.formatVersion() != ReconcileReport.FORMAT_VERSION) {
            throw new IOException(file + " has magic '" + report.magic() + "' and format version "
                    + report.formatVersion() + ", but this Arca reads only '" + ReconcileReport.MAGIC + "' version "
                    + ReconcileReport.FORMAT_VERSION + "; run 'arca reconcile' again to replace it.");
        }
        return Optional.of(report);
    }

    /** Writes the report to a temporary file, fsyncs it and renames it over {@code last.json}. */
    static void writeAndFsync(Path dataDirectory, ReconcileReport report) throws IOException {
        Path file = pathOf(dataDirectory);
        Fsync.createDirectoriesAndFsync(file.getParent());
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Fsync.fsyncFile(temp);
        Fsync.moveAtomicallyAndFsync(temp, file);
    }
}
