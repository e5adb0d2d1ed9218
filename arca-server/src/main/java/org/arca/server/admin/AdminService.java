package org.arca.server.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import org.arca.server.config.ConfigException;
import org.arca.server.config.ConfigValidation;
import org.arca.server.dicom.WriteGate;
import org.arca.store.DataDirectory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API listener of a node: Jetty on a loopback address, guarded by the token in
 * {@code <data>/admin/token}, announced in {@code <data>/admin/endpoint.json} once it listens.
 * {@link #close()} stops the listener and deletes the endpoint file.
 */
public final class AdminService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);

    private final Server server;
    private final Path dataDirectory;

    private AdminService(Server server, Path dataDirectory) {
        this.server = server;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Loads or creates the token, starts listening, then writes the endpoint file.
     *
     * @param bindAddress a loopback address, the value of {@code admin.bindAddress}
     * @param port the TCP port, 0 for any free one
     * @param reconcile what {@code POST /reconcile} starts
     * @throws ConfigException when {@code bindAddress} is not a loopback address
     * @throws AdminTokenException when the token file is open to other users or is not a token
     */
    public static AdminService start(String bindAddress, int port, DataDirectory data, WriteGate writeGate,
            NodeStatus.NodeFacts facts, ReconcileStarter reconcile) throws Exception {
        ConfigValidation.checkLoopback("admin.bindAddress", bindAddress);
        Path dataDirectory = data.root().toAbsolutePath();
        AdminToken token = AdminToken.loadOrCreateAndFsync(dataDirectory);
        AdminOperations operations = new AdminOperations(data, writeGate, facts, reconcile, Clock.systemUTC());

        Server server = new Server(new InetSocketAddress(bindAddress, port));
        server.setHandler(new AdminHandler(token, operations));
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        AdminService service = new AdminService(server, dataDirectory);
        try {
            InetSocketAddress bound = (InetSocketAddress) service.localAddress();
            new AdminEndpoint(AdminEndpoint.FORMAT, AdminEndpoint.FORMAT_VERSION, bound.getAddress().getHostAddress(),
                    bound.getPort(), ProcessHandle.current().pid(), facts.started().toString())
                    .writeAndFsync(dataDirectory);
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        LOG.info("Admin API listens on {}:{}; clients find it in {} and authenticate with the token in {}.",
                bindAddress, service.port(), AdminEndpoint.fileOf(dataDirectory),
                AdminToken.tokenFileOf(dataDirectory));
        return service;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Returns the address the listening socket is bound to, read from the socket itself. */
    public SocketAddress localAddress() throws IOException {
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        return ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
    }

    /** Deletes the endpoint file first, so that no client is sent to a listener that is going away. */
    @Override
    public void close() throws Exception {
        try {
            AdminEndpoint.deleteAndFsync(dataDirectory);
        } finally {
            server.stop();
        }
        LOG.info("Admin API stopped; deleted {}.", AdminEndpoint.fileOf(dataDirectory));
    }
}
