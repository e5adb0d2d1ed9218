package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arca.dicom.data.Tag;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends every DICOM file of pydicom's test data (Debian's python3-pydicom: big endian,
 * deflated, JPEG, JPEG 2000, RLE, private sequences, character sets) to Arca with dcmtk's
 * storescu, one association per file, then checks that Arca stored what storescu sent.
 */
class PydicomFilesInteropTest {

    private static final Pattern STORE_RESPONSE = Pattern.compile("Received Store Response \\(([^)]*)\\)");

    /**
     * Files that storescu sends but Arca rejects, with the reason Arca gives. Arca keys the
     * archive by Study and Series Instance UID, so a dataset without them is rejected.
     */
    private static final Map<String, String> EXPECTED_REJECTIONS = Map.of();

    /** Below this many stored files the test data or storescu changed, and the test would prove little. */
    private static final int MIN_STORED_FILES = 100;

    @TempDir
    Path temp;

    @Test
    void storescuSendsEveryPydicomFile() throws Exception {
        Path data = temp.resolve("arca-data");
        Path sent = Files.createDirectories(temp.resolve("sent"));
        Map<String, String> rejected = new TreeMap<>();
        List<String> notSent = new ArrayList<>();
        int stored = 0;

        try (ArcaProcess arca = ArcaProcess.start(data)) {
            for (Path file : candidateFiles()) {
                ExternalTool.Result result = Peers.storescu(arca, proposalOptions(file), file);
                Matcher response = STORE_RESPONSE.matcher(result.output());
                if (!response.find()) {
                    notSent.add(file.getFileName().toString());
                } else if (response.group(1).equals("Success")) {
                    stored++;
                    Files.createSymbolicLink(sent.resolve(stored + "-" + file.getFileName()), file);
                } else {
                    rejected.put(file.getFileName().toString(), result.output());
                }
            }
            assertThat(arca.healthStatus()).as("health after all files").isEqualTo(200);
        }

        System.out.printf("pydicom files: %d stored, %d rejected, %d not sent by storescu: %s%n", stored,
                rejected.size(), notSent.size(), notSent);
        assertThat(rejected.keySet()).as("files Arca rejected").isEqualTo(EXPECTED_REJECTIONS.keySet());
        assertThat(stored).as("files stored").isGreaterThanOrEqualTo(MIN_STORED_FILES);

        Path exported = Files.createDirectories(temp.resolve("exported"));
        Peers.exportAll(data, exported);
        ExternalTool.Result comparison = Peers.compareDatasets(sent, exported);
        assertThat(comparison.exitCode()).as(comparison.output()).isZero();

        ExternalTool.Result verify = Peers.arca("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    /**
     * Chooses storescu's proposal so that the file's own transfer syntax comes first. Otherwise
     * storescu proposes explicit VR little endian first, converts uncompressed files to it, and
     * cannot send compressed files at all (it has no encoder to fall back on).
     */
    private static List<String> proposalOptions(Path file) {
        String transferSyntaxUid;
        try (InputStream in = Files.newInputStream(file)) {
            transferSyntaxUid = new DicomInputStream(in).readFileMetaInformation().getString(Tag.TransferSyntaxUID);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        if (transferSyntaxUid == null) {
            return List.of();
        }
        return switch (transferSyntaxUid) {
            case UID.ImplicitVRLittleEndian -> List.of("-xi");
            case UID.ExplicitVRLittleEndian -> List.of("-xe");
            case UID.ExplicitVRBigEndian -> List.of("-xb");
            case UID.DeflatedExplicitVRLittleEndian -> List.of("-xd");
            case "1.2.840.10008.1.2.4.50" -> List.of("-xy");
            case "1.2.840.10008.1.2.4.51" -> List.of("-xx");
            case "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" -> List.of("-xs");
            case "1.2.840.10008.1.2.4.80" -> List.of("-xt");
            case "1.2.840.10008.1.2.4.81" -> List.of("-xu");
            case "1.2.840.10008.1.2.4.90" -> List.of("-xv");
            case "1.2.840.10008.1.2.4.91" -> List.of("-xw");
            case "1.2.840.10008.1.2.5" -> List.of("-xr");
            default -> List.of();
        };
    }

    private static List<Path> candidateFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String directory : List.of("test_files", "charset_files")) {
            try (Stream<Path> walk = Files.walk(Peers.PYDICOM_DATA.resolve(directory))) {
                walk.filter(Files::isRegularFile)
                        .filter(path -> !path.toString().matches(".*\\.(py|pyc|txt|json|gz|bz2|zip|md)$"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }
}
