package org.arca.store.reconcile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.fs.Fsync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quarantine of orphaned blobs, {@code blobs/quarantine/}: each orphan as
 * {@code <sha256>} beside its {@link QuarantineManifest} {@code <sha256>.json}. The blob store's
 * listing does not descend into it (a blob path has two hex fan-out directories).
 *
 * <p>Every move and delete is fsynced. The manifest is written before the blob moves, so a crash
 * leaves at worst a manifest without its blob, which the next grace check removes.
 *
 * <p>Not thread-safe: one reconciliation at a time uses it.
 */
final class Quarantine {

    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
    static final String DIRECTORY = "quarantine";
    private static final String MANIFEST_SUFFIX = ".json";

    private final BlobStore blobs;
    private final Path directory;
    private final Clock clock;

    Quarantine(BlobStore blobs, Clock clock) {
        this.blobs = blobs;
        this.directory = blobs.root().resolve(DIRECTORY);
        this.clock = clock;
    }

    Path directory() {
        return directory;
    }

    Path blobPath(BlobId id) {
        return directory.resolve(id.hex());
    }

    private Path manifestPath(String sha256) {
        return directory.resolve(sha256 + MANIFEST_SUFFIX);
    }

    boolean contains(BlobId id) {
        return Files.isRegularFile(blobPath(id));
    }

    /** Writes the manifest, then moves the blob from the store into quarantine; fsyncs both. */
    private static final List<String> IDENTITY_KEYWORDS = List.of("PatientID", "PatientName", "StudyInstanceUID",
            "StudyDate", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID");

    QuarantineManifest moveInAndFsync(BlobId id, String reason) throws IOException {
        Fsync.createDirectoriesAndFsync(directory);
        Path source = blobs.pathOf(id);
        Map<String, String> identity = identityOf(id, source);
        QuarantineManifest manifest = new QuarantineManifest(QuarantineManifest.MAGIC,
                QuarantineManifest.FORMAT_VERSION, id.hex(), Files.size(source), source.toString(), reason,
                clock.millis(), identity);
        writeManifestAndFsync(manifest);
        Fsync.moveAtomicallyAndFsync(source, blobPath(id));
        LOG.warn("Quarantined blob {} ({} bytes, {}) to {}: {}", id.hex(), manifest.sizeBytes(),
                identity == null ? "not a readable DICOM file" : identity, blobPath(id), reason);
        return manifest;
    }

    /** Reads what the blob holds: patient, study, series and SOP Instance; null when it does not parse. */
    private static Map<String, String> identityOf(BlobId id, Path source) throws IOException {
        Map<String, String> attributes = StoredObject.read(id, source).attributes();
        if (attributes == null) {
            return null;
        }
        Map<String, String> identity = new LinkedHashMap<>();
        for (String keyword : IDENTITY_KEYWORDS) {
            identity.put(keyword, attributes.get(keyword));
        }
        return identity;
    }

    private void writeManifestAndFsync(QuarantineManifest manifest) throws IOException {
        Path target = manifestPath(manifest.blobSha256());
        Path temp = directory.resolve(manifest.blobSha256() + MANIFEST_SUFFIX + ".tmp");
        Files.write(temp, manifest.toJsonBytes(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        Fsync.fsyncFile(temp);
        Fsync.moveAtomicallyAndFsync(temp, target);
    }

    /**
     * Moves a quarantined blob back to its place in the store after checking its SHA-256; returns
     * false, leaving it in quarantine, when its bytes do not match its name.
     */
    boolean restoreAndFsync(BlobId id) throws IOException {
        Path source = blobPath(id);
        if (!StoredObject.read(id, source).verification().isOk()) {
            LOG.error("Quarantined blob {} does not match its SHA-256; it stays in {}.", id.hex(), source);
            return false;
        }
        Path target = blobs.pathOf(id);
        Fsync.createDirectoriesAndFsync(target.getParent());
        Fsync.moveAtomicallyAndFsync(source, target);
        deleteManifestAndFsync(id.hex());
        LOG.warn("Restored blob {} from quarantine to {}, because a journal record references it.", id.hex(),
                target);
        return true;
    }

    /** Deletes a quarantined blob and then its manifest, fsyncing the directory after each. */
    void deleteAndFsync(String sha256) throws IOException {
        Files.deleteIfExists(directory.resolve(sha256));
        Fsync.fsyncDirectory(directory);
        deleteManifestAndFsync(sha256);
    }

    private void deleteManifestAndFsync(String sha256) throws IOException {
        Files.deleteIfExists(manifestPath(sha256));
        Fsync.fsyncDirectory(directory);
    }

    /** Receives one manifest of the quarantine. */
    @FunctionalInterface
    interface ManifestConsumer {
        void accept(QuarantineManifest manifest, boolean blobPresent) throws IOException;
    }

    /** Passes every manifest to the consumer, one at a time; a manifest that cannot be read is logged and kept. */
    void forEachManifest(ManifestConsumer consumer) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> manifests = Files.newDirectoryStream(directory, "*" + MANIFEST_SUFFIX)) {
            for (Path file : manifests) {
                QuarantineManifest manifest;
                try {
                    manifest = QuarantineManifest.fromJsonBytes(readCapped(file), file.toString());
                } catch (IOException e) {
                    LOG.error("Skipped quarantine manifest {}: {}", file, e.getMessage());
                    continue;
                }
                boolean present = Files.isRegularFile(directory.resolve(manifest.blobSha256()));
                consumer.accept(manifest, present);
            }
        }
    }

    private static byte[] readCapped(Path file) throws IOException {
        long size = Files.size(file);
        if (size > QuarantineManifest.MAX_SIZE_BYTES) {
            throw new IOException("it has " + size + " bytes, more than the " + QuarantineManifest.MAX_SIZE_BYTES
                    + " a manifest may have");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes((int) size);
        }
    }
}
