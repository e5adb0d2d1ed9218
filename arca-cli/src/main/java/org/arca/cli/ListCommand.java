package org.arca.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceVersion;
import org.arca.store.index.PatientEntry;
import org.arca.store.index.SeriesEntry;
import org.arca.store.index.StudyEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca list}: the patients, studies, series and instance versions of a data directory. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List patients, studies, series and instances (SOP Instance UID, version, size, SHA-256).")
final class ListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Data directory to read.")
    private Path dataDirectory;

    @Option(names = "--json", description = "Print JSON instead of an indented tree.")
    private boolean json;

    @Option(names = "--all-versions", description = "Include every stored version, not only the current one.")
    private boolean allVersions;

    /** One patient with everything below it, as printed. */
    record PatientListing(String patientId, String patientName, List<StudyListing> studies) {
    }

    record StudyListing(String studyInstanceUid, String studyDate, String accessionNumber, String studyDescription,
            List<SeriesListing> series) {
    }

    record SeriesListing(String seriesInstanceUid, String modality, String seriesNumber,
            List<InstanceListing> instances) {
    }

    record InstanceListing(String sopInstanceUid, int version, long sizeBytes, String sha256, String sopClassUid,
            String transferSyntaxUid) {
    }

    @Override
    public Integer call() throws Exception {
        DataDirectories.requireExisting(dataDirectory);
        List<PatientListing> patients;
        try (Index index = DataDirectories.openIndex(dataDirectory)) {
            patients = collect(index);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(new Listing(patients)));
        } else {
            printTree(out, patients);
        }
        out.flush();
        return 0;
    }

    /** The JSON document: an object so that fields can be added without breaking readers. */
    record Listing(List<PatientListing> patients) {
    }

    private List<PatientListing> collect(Index index) {
        List<PatientListing> patients = new ArrayList<>();
        for (PatientEntry patient : index.patients()) {
            List<StudyListing> studies = new ArrayList<>();
            for (StudyEntry study : index.studies(patient.patientKey())) {
                List<SeriesListing> series = new ArrayList<>();
                for (SeriesEntry oneSeries : index.series(study.studyInstanceUid())) {
                    List<InstanceListing> instances = new ArrayList<>();
                    for (InstanceVersion instance : index.instancesOfSeries(oneSeries.seriesInstanceUid(), allVersions)) {
                        instances.add(new InstanceListing(instance.sopInstanceUid(), instance.version(),
                                instance.sizeBytes(), instance.blobSha256(), instance.sopClassUid(),
                                instance.transferSyntaxUid()));
                    }
                    series.add(new SeriesListing(oneSeries.seriesInstanceUid(), oneSeries.modality(),
                            oneSeries.seriesNumber(), instances));
                }
                studies.add(new StudyListing(study.studyInstanceUid(), study.studyDate(), study.accessionNumber(),
                        study.studyDescription(), series));
            }
            patients.add(new PatientListing(patient.patientId(), patient.patientName(), studies));
        }
        return patients;
    }

    private void printTree(PrintWriter out, List<PatientListing> patients) {
        for (PatientListing patient : patients) {
            out.printf("Patient ID %s  name %s%n", text(patient.patientId()), text(patient.patientName()));
            for (StudyListing study : patient.studies()) {
                out.printf("  Study %s  date %s  accession %s  description %s%n", study.studyInstanceUid(),
                        text(study.studyDate()), text(study.accessionNumber()), text(study.studyDescription()));
                for (SeriesListing series : study.series()) {
                    out.printf("    Series %s  modality %s  number %s  (%d %s)%n", series.seriesInstanceUid(),
                            text(series.modality()), text(series.seriesNumber()), series.instances().size(),
                            allVersions ? "instance versions" : "instances");
                    for (InstanceListing instance : series.instances()) {
                        out.printf("      Instance %s  version %d  %d bytes  transfer syntax %s  SHA-256 %s%n",
                                instance.sopInstanceUid(), instance.version(), instance.sizeBytes(),
                                instance.transferSyntaxUid(), instance.sha256());
                    }
                }
            }
        }
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
