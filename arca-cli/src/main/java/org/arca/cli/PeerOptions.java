package org.arca.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The peer an SCU command associates with: host, port and the AE titles of both sides. */
final class PeerOptions {

    @Parameters(index = "0", paramLabel = "HOST", description = "Host name or address of the peer.")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "DICOM port of the peer.")
    int port;

    @Option(names = "--aet", paramLabel = "AE", defaultValue = "ARCA",
            description = "Calling AE title, the title of this side (default: ${DEFAULT-VALUE}).")
    String callingAeTitle;

    @Option(names = "--aec", paramLabel = "AE", defaultValue = "ARCA",
            description = "Called AE title, the title of the peer (default: ${DEFAULT-VALUE}).")
    String calledAeTitle;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds to wait for the connection, the association and each DIMSE response "
                    + "(default: ${DEFAULT-VALUE}); 0 waits forever for responses.")
    int timeoutSeconds;

    /** Returns "CALLED at HOST:PORT", for messages. */
    String describe() {
        return calledAeTitle + " at " + host + ":" + port;
    }
}
