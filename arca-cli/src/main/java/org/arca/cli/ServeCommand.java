package org.arca.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.arca.server.ArcaNode;
import org.arca.server.StartCancelledException;
import org.arca.server.config.ArcaConfig;
import org.arca.server.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code arca serve}: runs a node until SIGTERM or SIGINT, then stops gracefully and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run an Arca node. Without options it uses the embedded defaults: data in arca-data in "
                + "the working directory, AE title ARCA, DICOM port 11112, HTTP port 8080.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file; options below override it.")
    private Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: arca-data in the working directory).")
    private Path dataDirectory;

    @Option(names = "--ae-title", paramLabel = "AE", description = "AE title of this node (default: ARCA).")
    private String aeTitle;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address the DICOM and HTTP listeners bind to (default: 0.0.0.0).")
    private String bindAddress;

    @Option(names = "--dicom-port", paramLabel = "PORT", description = "DICOM port (default: 11112; 0 picks a free one).")
    private Integer dicomPort;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port (default: 8080; 0 picks a free one).")
    private Integer httpPort;

    @Option(names = "--admin-port", paramLabel = "PORT",
            description = "Port of the admin API, which listens on loopback only (default: 0, a free port, written to "
                    + "admin/endpoint.json in the data directory).")
    private Integer adminPort;

    @Option(names = "--allow-calling-ae", paramLabel = "AE", split = ",",
            description = "Calling AE titles allowed to associate, comma-separated (default: any).")
    private List<String> allowedCallingAeTitles;

    @Option(names = "--no-check-called-ae",
            description = "Accept associations whatever called AE title they name (default: it must be this node's).")
    private boolean noCheckCalledAe;

    @Option(names = "--warm-up", negatable = true,
            description = "Run the DICOM paths on synthetic instances for a few seconds before listening, so that the "
                    + "first studies arrive at full speed; --no-warm-up listens at once. Either one overrides warmUp in "
                    + "the configuration file (default: warm up).")
    private Boolean warmUp;

    @Override
    public Integer call() throws Exception {
        ArcaConfig config = ConfigLoader.load(configFile, overrides());
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());

        ArcaNode started;
        try {
            started = ArcaNode.start(config, () -> stopRequested.getCount() == 0);
        } catch (StartCancelledException e) {
            LOG.info(e.getMessage());
            return 0;
        }
        try (ArcaNode node = started) {
            stopRequested.await();
            LOG.info("Received a stop signal; stopping gracefully.");
        }
        return 0;
    }

    private ArcaConfig overrides() {
        ArcaConfig.Dicom dicom = new ArcaConfig.Dicom(aeTitle, bindAddress, dicomPort, allowedCallingAeTitles,
                noCheckCalledAe ? Boolean.FALSE : null, null, null, null);
        ArcaConfig.Http http = new ArcaConfig.Http(bindAddress, httpPort);
        ArcaConfig.Admin admin = adminPort == null ? null : new ArcaConfig.Admin(null, adminPort);
        return new ArcaConfig(dataDirectory, dicom, http, null, admin, null, null, warmUp);
    }
}
