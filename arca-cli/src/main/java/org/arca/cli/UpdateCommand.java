package org.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca update}: sets study or patient attributes of one study on the running node. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Set attributes of a study by DICOM keyword on the running node. Patient keywords "
                + "(PatientID, IssuerOfPatientID, PatientName, PatientBirthDate, PatientSex) change the study's "
                + "patient. The stored instances are not rewritten; the index and the journal hold the change.")
final class UpdateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions admin;

    @Option(names = "--study", paramLabel = "UID", required = true, description = "Study Instance UID.")
    private String study;

    @Option(names = "--set", paramLabel = "KEYWORD=VALUE", required = true,
            description = "An attribute and its new value, such as PatientID=P-2; repeat for more.")
    private List<String> assignments;

    @Option(names = "--reason", paramLabel = "TEXT", required = true,
            description = "Why; recorded in the journal with your operating-system user name.")
    private String reason;

    @Override
    public Integer call() throws Exception {
        JsonNode result = admin.connect().post("/update",
                new AdminRequestBodies.StudyUpdate(study, keywordValues(), reason));
        ChangeResults.print(spec.commandLine().getOut(), result);
        return 0;
    }

    private Map<String, String> keywordValues() throws CliException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new CliException("--set '" + assignment + "' is not KEYWORD=VALUE; write it as, for example, "
                        + "--set PatientID=P-2.");
            }
            String keyword = assignment.substring(0, equals).strip();
            if (values.put(keyword, assignment.substring(equals + 1)) != null) {
                throw new CliException("--set names " + keyword + " twice; give each keyword once.");
            }
        }
        return values;
    }
}
