package org.arca.dicom.association;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts associations on a TCP port, one thread per association, and hands each established
 * association to an {@link AssociationHandler}. Beyond {@link AcceptorConfig#maxAssociations()}
 * concurrent connections, a request is rejected (transient, local-limit-exceeded).
 */
public final class DicomServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DicomServer.class);

    private final AcceptorConfig config;
    private final AssociationHandler handler;
    private final Set<Association> associations = ConcurrentHashMap.newKeySet();
    private final Object countLock = new Object();
    private int withinLimit;
    private ServerSocket serverSocket;
    private Thread acceptThread;

    public DicomServer(AcceptorConfig config, AssociationHandler handler) {
        this.config = config;
        this.handler = handler;
    }

    /** Binds the listening socket and starts accepting connections. */
    public synchronized DicomServer start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("DICOM server " + config.aeTitle() + " is already started");
        }
        InetAddress bindAddress = config.bindAddress() == null ? null : InetAddress.getByName(config.bindAddress());
        serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(bindAddress, config.port()), 128);
        acceptThread = new Thread(this::acceptLoop, "dicom-accept-" + config.aeTitle() + "-" + port());
        acceptThread.setDaemon(true);
        acceptThread.start();
        LOG.info("DICOM server {} is listening on {}.", config.aeTitle(), serverSocket.getLocalSocketAddress());
        return this;
    }

    /** Returns the bound port, which is the system's choice when the configured port is 0. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Returns the number of associations whose connection is open, including those being rejected. */
    public int openAssociations() {
        return associations.size();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    LOG.warn("DICOM server {} failed to accept a connection: {}", config.aeTitle(), e.toString());
                }
                continue;
            }
            startAssociation(socket);
        }
    }

    private void startAssociation(Socket socket) {
        boolean overLimit;
        synchronized (countLock) {
            overLimit = withinLimit >= config.maxAssociations();
            if (!overLimit) {
                withinLimit++;
            }
        }
        try {
            socket.setTcpNoDelay(true);
            Association association = Association.forAcceptor(socket, config, overLimit);
            associations.add(association);
            Thread thread = new Thread(() -> runAssociation(association, overLimit),
                    "dicom-association-" + socket.getRemoteSocketAddress());
            thread.setDaemon(true);
            thread.start();
        } catch (IOException | RuntimeException e) {
            LOG.warn("DICOM server {} could not start an association for {}: {}", config.aeTitle(),
                    socket.getRemoteSocketAddress(), e.toString());
            closeQuietly(socket);
            release(overLimit);
        }
    }

    private void runAssociation(Association association, boolean overLimit) {
        try {
            association.runAcceptor(handler, config.idleTimeoutMs());
        } finally {
            associations.remove(association);
            release(overLimit);
        }
    }

    private void release(boolean overLimit) {
        synchronized (countLock) {
            if (!overLimit) {
                withinLimit--;
            }
            countLock.notifyAll();
        }
    }

    /** Closes the listening socket, so new connections are refused; open associations go on. */
    public synchronized void stopAccepting() {
        if (serverSocket != null && !serverSocket.isClosed()) {
            closeQuietly(serverSocket);
            // OpenJDK 17 closes a listening socket only after the thread blocked in accept() returns.
            // Until then the kernel still completes handshakes, so this waits for that thread.
            joinAcceptThread();
            LOG.info("DICOM server {} stopped accepting connections; open associations: {}.", config.aeTitle(),
                    associations.size());
        }
    }

    private void joinAcceptThread() {
        try {
            acceptThread.join(10000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acceptThread.isAlive()) {
            LOG.warn("DICOM server {}: the accept thread did not stop within 10 s after the listening socket "
                    + "was closed, so new connections may still complete their handshake.", config.aeTitle());
        }
    }

    /** Waits until no association is open or the timeout passes; returns true if none is open. */
    public boolean awaitAssociations(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (countLock) {
            while (!associations.isEmpty()) {
                long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0) {
                    return false;
                }
                countLock.wait(remainingMs);
            }
            return true;
        }
    }

    /**
     * Stops accepting, aborts every open association (one in the middle of a DIMSE operation
     * first finishes it), and waits up to the ARTIM timeout for their connections to close.
     */
    @Override
    public void close() {
        stopAccepting();
        List<Association> open = List.copyOf(associations);
        for (Association association : open) {
            association.abortWhenIdle();
        }
        try {
            if (!awaitAssociations(Duration.ofMillis(config.artimTimeoutMs() + 1000))) {
                LOG.warn("DICOM server {} closed with {} associations still open after the ARTIM timeout.",
                        config.aeTitle(), associations.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Closing {} failed: {}", closeable, e.toString());
        }
    }

}
