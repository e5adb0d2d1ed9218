package org.arca.server.http;

import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side of a node (health now; DICOMweb and the admin API later). */
public final class HttpService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

    private final Server server;

    private HttpService(Server server) {
        this.server = server;
    }

    /** Starts listening; the caller closes the service to stop it. */
    public static HttpService start(String bindAddress, int port, BooleanSupplier acceptingWrites) throws Exception {
        Server server = new Server(new InetSocketAddress(bindAddress, port));
        server.setHandler(new HealthHandler(acceptingWrites));
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        HttpService service = new HttpService(server);
        LOG.info("HTTP listens on {}:{} (GET /health).", bindAddress, service.port());
        return service;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        LOG.info("HTTP stopped.");
    }
}
