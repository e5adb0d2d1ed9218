package org.arca.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code arca export}: writes the stored Part 10 files of a study, each checked against its
 * SHA-256 on the way out, so an exported file is exactly what Arca acknowledged.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the stored Part 10 files of a study into a directory, verified against their SHA-256.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Data directory to read.")
    private Path dataDirectory;

    @Option(names = "--study", paramLabel = "UID", required = true, description = "Study Instance UID to export.")
    private String studyInstanceUid;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory to write <SOP Instance UID>.dcm files into; created when missing.")
    private Path outDirectory;

    @Option(names = "--all-versions",
            description = "Also write earlier versions, as <SOP Instance UID>.v<version>.dcm; the current "
                    + "version is always <SOP Instance UID>.dcm.")
    private boolean allVersions;

    @Override
    public Integer call() throws Exception {
        DataDirectories.requireExisting(dataDirectory);
        List<InstanceVersion> instances;
        try (Index index = DataDirectories.openIndex(dataDirectory)) {
            instances = index.instancesOfStudy(studyInstanceUid, allVersions);
        }
        if (instances.isEmpty()) {
            throw new CliException("Study Instance UID " + studyInstanceUid + " is not in " + dataDirectory
                    + "; 'arca list --data " + dataDirectory + "' shows the studies it holds.");
        }
        Files.createDirectories(outDirectory);
        BlobStore blobs = BlobStore.openReadOnly(DataDirectory.blobsOf(dataDirectory));
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (InstanceVersion instance : instances) {
            Path target = outDirectory.resolve(fileName(instance));
            try {
                copyVerified(blobs, instance, target);
            } catch (CliException e) {
                failed++;
                spec.commandLine().getErr().println("arca: " + e.getMessage());
            }
        }
        int exported = instances.size() - failed;
        out.printf("Exported %d of %d %s of study %s to %s.%n", exported, instances.size(),
                instances.size() == 1 ? "file" : "files", studyInstanceUid, outDirectory);
        out.flush();
        if (failed > 0) {
            throw new CliException(failed + " of " + instances.size() + " instances were not exported because their "
                    + "stored bytes are missing, failed verification or could not be read; the lines above name them.");
        }
        return 0;
    }

    /** The current version is always {@code <uid>.dcm}; earlier versions get {@code .v<version>}. */
    private static String fileName(InstanceVersion instance) {
        String suffix = instance.current() ? "" : ".v" + instance.version();
        return instance.sopInstanceUid() + suffix + ".dcm";
    }

    /** Copies through a temporary file and renames it only when the SHA-256 matches. */
    private static void copyVerified(BlobStore blobs, InstanceVersion instance, Path target)
            throws IOException, CliException {
        BlobId id = BlobId.of(instance.blobSha256());
        String source = blobs.describe(id);
        Path temp = target.resolveSibling(target.getFileName() + ".partial");
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(blobs.newInputStream(id), sha256);
                OutputStream out = Files.newOutputStream(temp)) {
            in.transferTo(out);
        } catch (java.nio.file.NoSuchFileException e) {
            Files.deleteIfExists(temp);
            throw new CliException("The blob of SOP Instance " + instance.sopInstanceUid() + " is missing at "
                    + source + "; it was not exported. Run 'arca verify' and restore it from a verified copy.", e);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new CliException("Reading the blob of SOP Instance " + instance.sopInstanceUid() + " at " + source
                    + " failed: " + e + "; run 'arca verify' on the data directory.", e);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(instance.blobSha256())) {
            Files.deleteIfExists(temp);
            throw new CliException("The blob of SOP Instance " + instance.sopInstanceUid() + " at " + source
                    + " has SHA-256 " + actual + " instead of " + instance.blobSha256()
                    + "; it was not exported. Run 'arca verify' and restore it from a verified copy.");
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256", e);
        }
    }
}
