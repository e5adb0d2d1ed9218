package org.arca.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.arca.store.DataDirectory;
import org.arca.store.verify.ArchiveVerifier;
import org.arca.store.verify.VerifyListener;
import org.arca.store.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca verify}: rereads the journal and every blob and reports each mismatch; exit 1 on any. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Reread every journal record (CRC32C, hash chain) and every blob (SHA-256); print each "
                + "mismatch with its SOP Instance UID and path. Exits 1 when anything does not match. Runs only "
                + "while no node runs on the data directory.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Data directory to verify.")
    private Path dataDirectory;

    @Override
    public Integer call() throws Exception {
        DataDirectories.requireExisting(dataDirectory);
        requireNoRunningNode(dataDirectory);
        PrintWriter out = spec.commandLine().getOut();
        VerifyListener listener = new VerifyListener() {
            @Override
            public void problem(String description) {
                out.println("PROBLEM " + description);
                out.flush();
            }

            @Override
            public void progress(String description) {
                out.println(description);
            }
        };
        VerifyReport report = new ArchiveVerifier(dataDirectory, listener).verify();

        out.printf("Journal: records: %d, segment files: %d, checked (CRC32C, sequence, hash chain), last sequence %d.%n",
                report.journalRecords(), report.journalSegments(), report.lastSequence());
        out.printf("Blobs: stored versions: %d, blobs: %d (%d bytes), rehashed with SHA-256.%n",
                report.storedVersions(), report.blobsChecked(), report.blobBytes());
        if (report.unreferencedBlobs() > 0) {
            out.printf("Blobs no journal record names: %d (%d bytes), rehashed too. They belong to ingests still in "
                    + "progress, or to ingests stopped before they were acknowledged.%n", report.unreferencedBlobs(),
                    report.unreferencedBytes());
        }
        out.println(report.isOk() ? "Verified: no mismatch." : "FAILED: problems found: " + report.problems() + ".");
        out.flush();
        return report.isOk() ? 0 : ErrorHandler.EXIT_FAILURE;
    }

    /**
     * Rejects a data directory that a running node has locked. That node's staging packs still contain
     * blobs it has written out to their own files, so a missing file would look intact from outside.
     * Only the node's catalog lists which staged copies count.
     */
    private static void requireNoRunningNode(Path dataDirectory) throws CliException {
        if (DataDirectories.heldByRunningNode(dataDirectory)) {
            throw new CliException("Data directory " + dataDirectory + " is in use by a running Arca node (it has locked "
                    + DataDirectory.lockFileOf(dataDirectory) + "); 'arca verify' runs only while no node runs. Stop "
                    + "the node and run it again, or run 'arca reconcile --live', which has the running node "
                    + "rehash every blob in its own reconciliation; 'arca status' shows the result.");
        }
    }
}
