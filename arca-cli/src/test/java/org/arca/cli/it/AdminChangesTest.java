package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delete, undelete, update and restore end to end: studies sent with storescu, changed with the
 * arca commands, and checked with findscu and getscu as a viewer would see them.
 */
class AdminChangesTest {

    private static final String STUDY_UID = "0020,000d";
    private static final String PATIENT_ID = "0010,0020";

    @TempDir
    Path temp;

    @Test
    void deleteHidesStudyAndUndeleteReturnsIt() throws Exception {
        Path input = generateStudy(1, 4);
        Map<String, TestInstance> sent = byUid(TestInstance.readAll(input));
        String study = studyUid(input);
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            store(arca, input);
            assertThat(findStudies(arca)).as("studies after the store").containsExactly(study);

            ExternalTool.Result delete = arca("delete", data, "--study", study, "--reason", "sent to the wrong AE");
            assertThat(delete.exitCode()).as(delete.output()).isZero();
            assertThat(delete.output()).contains("Deleted").contains("4");
            assertThat(findStudies(arca)).as("studies after the delete").isEmpty();

            ExternalTool.Result again = arca("delete", data, "--study", study, "--reason", "twice");
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.output()).contains("HTTP 409").contains("already deleted");

            ExternalTool.Result undelete = arca("undelete", data, "--study", study);
            assertThat(undelete.exitCode()).as(undelete.output()).isZero();
            assertThat(findStudies(arca)).as("studies after the undelete").containsExactly(study);

            assertSameDatasets(sent, getStudy(arca, study));
            ExternalTool.Result history = arca("history", data, "--study", study);
            assertThat(history.exitCode()).as(history.output()).isZero();
            assertThat(history.output()).contains("DELETED").contains("UNDELETED")
                    .contains("sent to the wrong AE").contains(System.getProperty("user.name"));
        }
    }

    @Test
    void legalHoldIsSetListedAndReleased() throws Exception {
        Path input = generateStudy(2, 1);
        String study = studyUid(input);
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            store(arca, input);

            ExternalTool.Result hold = arca("legal-hold", data, "--study", study, "--reason", "litigation 17");
            assertThat(hold.exitCode()).as(hold.output()).isZero();
            ExternalTool.Result list = arca("legal-hold", data, "--list");
            assertThat(list.exitCode()).as(list.output()).isZero();
            assertThat(list.output()).contains("1 studies under legal hold").contains(study).contains("litigation 17");

            ExternalTool.Result twice = arca("legal-hold", data, "--study", study, "--reason", "again");
            assertThat(twice.exitCode()).isEqualTo(1);
            assertThat(twice.output()).contains("HTTP 409");

            ExternalTool.Result release = arca("legal-hold", data, "--study", study, "--release", "--reason", "settled");
            assertThat(release.exitCode()).as(release.output()).isZero();
            assertThat(arca("legal-hold", data, "--list").output()).contains("0 studies under legal hold");
        }
    }

    @Test
    void unknownStudyIsNotFound() throws Exception {
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            ExternalTool.Result delete = arca("delete", data, "--series", "1.2.3.4", "--reason", "test");

            assertThat(delete.exitCode()).isEqualTo(1);
            assertThat(delete.output()).contains("HTTP 404").contains("1.2.3.4");
        }
    }

    /**
     * Three studies change at known moments: all stored (t0), a Patient ID updated (t1), a study
     * deleted (t2). Restoring to each moment gives exactly the C-FIND results of that moment, and
     * restoring to t2 afterwards returns to the latest state.
     */
    @Test
    void restoreAsOfReproducesEachMoment() throws Exception {
        List<Path> inputs = List.of(generateStudy(11, 2), generateStudy(12, 2), generateStudy(13, 2));
        String updated = studyUid(inputs.get(1));
        String deleted = studyUid(inputs.get(2));
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            for (Path input : inputs) {
                store(arca, input);
            }
            Instant t0 = Instant.now();
            List<String> atT0 = findStudiesWithPatient(arca);
            assertThat(atT0).hasSize(3);

            ExternalTool.Result update = arca("update", data, "--study", updated, "--set", "PatientID=MOVED-12",
                    "--reason", "merged patient records");
            assertThat(update.exitCode()).as(update.output()).isZero();
            Instant t1 = Instant.now();
            List<String> atT1 = findStudiesWithPatient(arca);
            assertThat(atT1).contains(updated + " MOVED-12").hasSize(3);

            ExternalTool.Result delete = arca("delete", data, "--study", deleted, "--reason", "duplicate");
            assertThat(delete.exitCode()).as(delete.output()).isZero();
            Instant t2 = Instant.now();
            List<String> atT2 = findStudiesWithPatient(arca);
            assertThat(atT2).hasSize(2).doesNotContain(deleted);

            ExternalTool.Result dryRun = arca("restore", data, "--as-of", t0.toString(), "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
            assertThat(dryRun.output()).contains("Dry run: nothing was changed.").contains(deleted).contains(updated);
            assertThat(findStudiesWithPatient(arca)).as("after a dry run").isEqualTo(atT2);

            restore(data, "--as-of", t0.toString(), "--reason", "drill");
            assertThat(findStudiesWithPatient(arca)).as("restored to t0 " + t0).isEqualTo(atT0);

            String t1Local = t1.atZone(ZoneId.of("Europe/Zurich")).toLocalDateTime().toString();
            restore(data, "--as-of", t1Local, "--zone", "Europe/Zurich", "--reason", "drill");
            assertThat(findStudiesWithPatient(arca)).as("restored to t1 " + t1).isEqualTo(atT1);

            restore(data, "--as-of", t2.toString(), "--reason", "drill");
            assertThat(findStudiesWithPatient(arca)).as("restored forward to t2 " + t2).isEqualTo(atT2);
        }
    }

    @Test
    void restoreOfOneStudyLeavesOthers() throws Exception {
        List<Path> inputs = List.of(generateStudy(21, 2), generateStudy(22, 2));
        String otherStudy = studyUid(inputs.get(0));
        String restoredStudy = studyUid(inputs.get(1));
        Path data = temp.resolve("arca-data");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            store(arca, inputs.get(0));
            store(arca, inputs.get(1));
            Instant stored = Instant.now();
            assertThat(arca("delete", data, "--study", restoredStudy, "--reason", "test").exitCode()).isZero();
            assertThat(arca("update", data, "--study", otherStudy, "--set", "PatientID=KEPT-21", "--reason", "test")
                    .exitCode()).isZero();

            restore(data, "--as-of", stored.toString(), "--study", restoredStudy, "--reason", "deleted by mistake");

            assertThat(findStudiesWithPatient(arca)).contains(otherStudy + " KEPT-21")
                    .anyMatch(line -> line.startsWith(restoredStudy + " "));
        }
    }

    private void restore(Path data, String... options) throws IOException, InterruptedException {
        ExternalTool.Result restore = arca("restore", data, options);
        assertThat(restore.exitCode()).as(restore.output()).isZero();
        assertThat(restore.output()).contains("Restored");
    }

    private static ExternalTool.Result arca(String command, Path data, String... options)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command, "--data", data.toString()));
        args.addAll(List.of(options));
        return Peers.arca(args.toArray(String[]::new));
    }

    private Path generateStudy(int seed, int slices) throws IOException, InterruptedException {
        Path input = temp.resolve("ct-" + seed);
        Peers.generate("ct", "--seed", String.valueOf(seed), "--slices", String.valueOf(slices), "--matrix", "32",
                "--out", input.toString());
        return input;
    }

    private static void store(ArcaProcess arca, Path input) throws IOException, InterruptedException {
        ExternalTool.Result store = Peers.storescu(arca, List.of("+sd"), input);
        assertThat(store.exitCode()).as(store.output()).isZero();
    }

    private static List<String> findStudies(ArcaProcess arca) throws IOException, InterruptedException {
        FindScu.Result find = FindScu.find(arca, "-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID");
        assertThat(find.finalStatus()).as(find.output()).isEqualTo("Success");
        return find.values(STUDY_UID);
    }

    /** Returns "StudyInstanceUID PatientID" of every study that C-FIND returns, sorted. */
    private static List<String> findStudiesWithPatient(ArcaProcess arca) throws IOException, InterruptedException {
        FindScu.Result find = FindScu.find(arca, "-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientID");
        assertThat(find.finalStatus()).as(find.output()).isEqualTo("Success");
        List<String> studies = new ArrayList<>();
        for (Map<String, String> identifier : find.identifiers()) {
            studies.add(identifier.get(STUDY_UID) + " " + identifier.get(PATIENT_ID));
        }
        studies.sort(null);
        return studies;
    }

    private Path getStudy(ArcaProcess arca, String study) throws IOException, InterruptedException {
        Path received = Files.createDirectories(temp.resolve("received"));
        ExternalTool.Result get = ExternalTool.run(List.of("getscu", "-v", "-S", "-aec", "ARCA",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study,
                "-od", received.toString(), "127.0.0.1", String.valueOf(arca.dicomPort())), null, 600);
        assertThat(get.exitCode()).as(get.output()).isZero();
        assertThat(get.output()).contains("Received C-GET Response (Success)");
        return received;
    }

    /** Returns the StudyInstanceUID of a generated study, read from its first file with dcmdump. */
    private static String studyUid(Path input) throws IOException, InterruptedException {
        Path first;
        try (var files = Files.list(input)) {
            first = files.sorted().findFirst().orElseThrow();
        }
        ExternalTool.Result dump = ExternalTool.run(List.of("dcmdump", "+P", "StudyInstanceUID", first.toString()),
                null, 60);
        Matcher uid = Pattern.compile("\\[([0-9.]+)\\]").matcher(dump.output());
        if (!uid.find()) {
            throw new AssertionError("dcmdump found no StudyInstanceUID in " + first + ":\n" + dump.output());
        }
        return uid.group(1);
    }

    private static Map<String, TestInstance> byUid(List<TestInstance> instances) {
        Map<String, TestInstance> byUid = new LinkedHashMap<>();
        for (TestInstance instance : instances) {
            byUid.put(instance.sopInstanceUid(), instance);
        }
        return byUid;
    }

    private static void assertSameDatasets(Map<String, TestInstance> sent, Path received) throws IOException {
        List<TestInstance> receivedInstances = TestInstance.readAll(received);
        assertThat(receivedInstances).hasSize(sent.size());
        for (TestInstance instance : receivedInstances) {
            TestInstance original = sent.get(instance.sopInstanceUid());
            assertThat(original).as("received SOP Instance %s was sent", instance.sopInstanceUid()).isNotNull();
            assertThat(instance.transferSyntaxUid()).isEqualTo(original.transferSyntaxUid());
            assertThat(instance.dataset()).as("dataset of %s", instance.sopInstanceUid())
                    .isEqualTo(original.dataset());
        }
    }
}
