package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index is disposable: a node with 1,000 instances in five studies gives the same C-FIND
 * answers at every level after its index file was deleted, after a page in the middle of it was
 * overwritten, and after {@code arca index rebuild}, each while the node was stopped.
 */
class IndexRebuildTest {

    private static final int STRUCTURED_REPORTS = 800;
    private static final int CT_SLICES = 200;
    private static final long CORRUPTION_SEED = 1204L;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void findAnswersSurviveLostCorruptAndRebuiltIndex() throws Exception {
        Path data = temp.resolve("arca-data");
        Path indexFile = data.resolve("index").resolve("arca.sqlite");
        Map<String, List<String>> expected;
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            storeTestData(arca);
            expected = findAnswers(arca);

            ExternalTool.Result refused = Peers.arca("index", "rebuild", "--data", data.toString());
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("arca.lock", "Stop that node");

            assertThat(arca.terminate(STOP_TIMEOUT)).isZero();
        }
        assertThat(expected.get("IMAGE").stream().filter(line -> !line.startsWith("final ")))
                .as("instances answered at IMAGE level").hasSize(STRUCTURED_REPORTS + CT_SLICES);

        deleteWithSidecars(indexFile);
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            assertThat(arca.log()).contains("is missing; rebuilding it from the " + (STRUCTURED_REPORTS + CT_SLICES)
                    + " journal records");
            assertThat(findAnswers(arca)).isEqualTo(expected);
            assertThat(arca.terminate(STOP_TIMEOUT)).isZero();
        }

        overwriteMiddlePage(indexFile, CORRUPTION_SEED);
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            assertThat(arca.log()).as("seed %d", CORRUPTION_SEED).contains("is corrupt");
            assertThat(findAnswers(arca)).as("seed %d", CORRUPTION_SEED).isEqualTo(expected);
            assertThat(arca.terminate(STOP_TIMEOUT)).isZero();
        }
        assertThat(filesStartingWith(indexFile.getParent(), "arca.sqlite.corrupt-")).hasSize(1);

        ExternalTool.Result rebuilt = Peers.arca("index", "rebuild", "--data", data.toString());
        assertThat(rebuilt.exitCode()).as(rebuilt.output()).isZero();
        assertThat(rebuilt.output()).contains("Rebuilt index", "from " + (STRUCTURED_REPORTS + CT_SLICES)
                + " journal records");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            assertThat(findAnswers(arca)).isEqualTo(expected);
            assertThat(arca.terminate(STOP_TIMEOUT)).isZero();
        }

        Path asOfIndex = temp.resolve("as-of.sqlite");
        ExternalTool.Result withoutOutput = Peers.arca("index", "rebuild", "--data", data.toString(), "--as-of",
                "2099-01-01T00:00:00Z");
        assertThat(withoutOutput.exitCode()).as(withoutOutput.output()).isEqualTo(1);
        assertThat(withoutOutput.output()).contains("--as-of needs --output FILE");
        ExternalTool.Result asOf = Peers.arca("index", "rebuild", "--data", data.toString(), "--as-of",
                "2099-01-01T00:00:00Z", "--output", asOfIndex.toString());
        assertThat(asOf.exitCode()).as(asOf.output()).isZero();
        assertThat(asOf.output()).contains("journal records 1 to " + (STRUCTURED_REPORTS + CT_SLICES),
                "is unchanged");
        assertThat(asOfIndex).isNotEmptyFile();
    }

    private void storeTestData(ArcaProcess arca) throws IOException, InterruptedException {
        Path input = temp.resolve("input");
        Peers.generate("sr", "--count", String.valueOf(STRUCTURED_REPORTS), "--per-study", "200", "--text-bytes",
                "200", "--out", input.resolve("sr").toString());
        Peers.generate("ct", "--slices", String.valueOf(CT_SLICES), "--matrix", "16", "--out",
                input.resolve("ct").toString());
        for (String part : List.of("sr", "ct")) {
            ExternalTool.Result result = Peers.storescu(arca, List.of("+sd", "+r"), input.resolve(part));
            assertThat(result.exitCode()).as("storescu of %s", part).isZero();
            assertThat(result.output()).as("storescu of %s", part).doesNotContain("Received Store Response (Fail",
                    "Received Store Response (Warn");
        }
    }

    /**
     * Returns the answers of C-FINDs at PATIENT, STUDY, SERIES (per study) and IMAGE (per series)
     * level, each as sorted identifiers plus the final status, keyed by level and query.
     */
    private static Map<String, List<String>> findAnswers(ArcaProcess arca) throws IOException, InterruptedException {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        answers.put("PATIENT", answer(FindScu.find(arca, "-P", "QueryRetrieveLevel=PATIENT", "PatientID",
                "PatientName", "PatientSex", "PatientBirthDate", "NumberOfPatientRelatedStudies")));
        FindScu.Result studies = FindScu.find(arca, "-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID",
                "PatientID", "PatientName", "StudyDate", "StudyTime", "AccessionNumber", "StudyDescription",
                "ModalitiesInStudy", "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances");
        answers.put("STUDY", answer(studies));
        answers.put("STUDY in January", answer(FindScu.find(arca, "-S", "QueryRetrieveLevel=STUDY",
                "StudyDate=20240101-20240131", "StudyInstanceUID", "AccessionNumber")));

        List<String> images = new ArrayList<>();
        for (String study : studies.values("0020,000d")) {
            FindScu.Result series = FindScu.find(arca, "-S", "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + study,
                    "SeriesInstanceUID", "Modality", "SeriesNumber", "SeriesDescription",
                    "NumberOfSeriesRelatedInstances");
            answers.put("SERIES of " + study, answer(series));
            for (String seriesUid : series.values("0020,000e")) {
                images.addAll(answer(FindScu.find(arca, "-S", "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + study,
                        "SeriesInstanceUID=" + seriesUid, "SOPInstanceUID", "SOPClassUID", "InstanceNumber")));
            }
        }
        images.sort(null);
        answers.put("IMAGE", images);
        return answers;
    }

    private static List<String> answer(FindScu.Result result) {
        List<String> lines = new ArrayList<>(result.identifiers().stream().map(Map::toString).sorted().toList());
        lines.add("final " + result.finalStatus());
        return lines;
    }

    private static void deleteWithSidecars(Path indexFile) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(indexFile.resolveSibling(indexFile.getFileName() + suffix));
        }
    }

    /** Overwrites one 4 KiB page in the middle of the file with random bytes; the header stays intact. */
    private static void overwriteMiddlePage(Path file, long seed) throws IOException {
        byte[] page = new byte[4096];
        new Random(seed).nextBytes(page);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = raf.length() / 2 / page.length * page.length;
            assertThat(middle).as("index file %s is too small to have a middle page", file).isGreaterThan(page.length);
            raf.seek(middle);
            raf.write(page);
        }
    }

    private static List<Path> filesStartingWith(Path directory, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
    }
}
