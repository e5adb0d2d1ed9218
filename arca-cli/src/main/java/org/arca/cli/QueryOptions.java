package org.arca.cli;

import java.util.ArrayList;
import java.util.List;
import org.arca.dicom.data.Attributes;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The identifier options of find, move and get: the keys, the level and the information model. */
final class QueryOptions {

    @Option(names = {"-k", "--key"}, paramLabel = "KEY=VALUE",
            description = "Matching or return key, as a PS3.6 keyword or gggg,eeee tag: PatientID=123, "
                    + "StudyDate=20240101-20241231, PatientName (return only). Repeatable.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "STUDY",
            description = "Query/Retrieve Level (0008,0052): PATIENT, STUDY, SERIES or IMAGE "
                    + "(default: ${DEFAULT-VALUE}).")
    String level;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "study",
            description = "Query/Retrieve Information Model: study (Study Root) or patient (Patient Root) "
                    + "(default: ${DEFAULT-VALUE}).")
    QueryModel model;

    /** Returns the identifier, or throws a usage error that names the invalid key. */
    Attributes identifier(CommandSpec spec) {
        try {
            return QueryKeys.identifier(keys, level.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
