package org.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.DataDirectory;
import org.arca.store.cdp.ChangeAuthor;
import org.arca.store.cdp.ChangeLevel;
import org.arca.store.ingest.IngestRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code arca retention run} on a real data directory: the listing, a dry run, and a directory in use. */
class RetentionRunCommandTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String STUDY = "1.2.826.0.1.3680043.8.498.40";

    @TempDir
    Path temp;

    @Test
    void recentDeleteKeptInsideWindow() throws Exception {
        Path data = temp.resolve("arca-data");
        try (DataDirectory directory = DataDirectory.openForWriting(data, Clock.systemUTC())) {
            store(directory, STUDY + ".1.1");
            directory.changes().delete(ChangeLevel.STUDY, STUDY, new ChangeAuthor("alice", "wrong patient"));
        }

        Result result = run("retention", "run", "--data", data.toString(), "--cdp-window-days", "7");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Reclaimed 0 blobs (0 bytes)");
        assertThat(result.out()).contains("CDP window of 7 days");
        assertThat(result.out()).contains("Kept: 1 deleted inside the window");
        assertThat(result.out()).contains("Wrote checkpoint");
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        Path data = temp.resolve("arca-data");
        try (DataDirectory directory = DataDirectory.openForWriting(data, Clock.systemUTC())) {
            store(directory, STUDY + ".1.1");
        }

        Result result = run("retention", "run", "--data", data.toString(), "--dry-run");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Would reclaim 0 blobs");
        assertThat(data.resolve("checkpoints")).doesNotExist();
    }

    @Test
    void directoryInUseRejected() throws Exception {
        Path data = temp.resolve("arca-data");
        try (DataDirectory directory = DataDirectory.openForWriting(data, Clock.systemUTC())) {
            store(directory, STUDY + ".1.1");

            Result result = run("retention", "run", "--data", data.toString());

            assertThat(result.exitCode()).isEqualTo(ErrorHandler.EXIT_FAILURE);
            assertThat(result.err()).contains("in use by a running Arca node");
        }
    }

    @Test
    void invalidWindowRejected() throws Exception {
        Path data = temp.resolve("arca-data");
        Files.createDirectories(data.resolve("journal"));

        Result result = run("retention", "run", "--data", data.toString(), "--cdp-window-days", "0");

        assertThat(result.exitCode()).isEqualTo(ErrorHandler.EXIT_CONFIG);
        assertThat(result.err()).contains("retention.cdpWindowDays 0 is out of range");
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static void store(DataDirectory directory, String sopInstanceUid) throws Exception {
        Attributes attributes = new Attributes();
        attributes.setString(Tag.SOPClassUID, VR.UI, CT);
        attributes.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        attributes.setString(Tag.PatientID, VR.LO, "PID-1");
        attributes.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        attributes.setString(Tag.SeriesInstanceUID, VR.UI, STUDY + ".1");
        attributes.setString(Tag.Modality, VR.CS, "CT");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(attributes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        directory.ingestService().ingest(new IngestRequest(CT, sopInstanceUid, UID.ExplicitVRLittleEndian, "CT1"),
                new ByteArrayInputStream(bytes.toByteArray()));
    }
}
