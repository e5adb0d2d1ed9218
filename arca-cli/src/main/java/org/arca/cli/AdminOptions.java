package org.arca.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data directory of the running node that an admin command talks to. */
final class AdminOptions {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "arca-data",
            description = "Data directory of the running node; its admin/endpoint.json and admin/token are read "
                    + "(default: ${DEFAULT-VALUE} in the working directory).")
    Path dataDirectory;

    AdminClient connect() throws CliException {
        return AdminClient.connect(dataDirectory);
    }
}
