package org.arca.dicom.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for peers that need their port in their configuration before they bind it (dcmtk tools, Orthanc,
 * {@code arca serve}).
 *
 * <p>A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, which every
 * outgoing connection on the machine draws from too. Between the test's choice and the peer's bind,
 * another connection can take it (Orthanc then fails with "port already in use"). These ports come
 * from below the ephemeral range instead, where only a listener that names its port can take one.
 * Each JVM starts at a random point and hands out no port twice before it has gone through the
 * whole range.
 */
public final class TestPorts {

    /** Ports below this are left to well-known services. */
    private static final int LOWEST = 10_000;

    /** Linux's default first ephemeral port, used when the kernel's range cannot be read. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private static final int END = ephemeralStart();

    private static int next = LOWEST + ThreadLocalRandom.current().nextInt(END - LOWEST);

    private TestPorts() {
    }

    /** Returns a port that is free now, outside the ephemeral range. */
    public static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** Returns {@code count} distinct ports that are free now, outside the ephemeral range. */
    public static synchronized int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        int found = 0;
        for (int tried = 0; tried < END - LOWEST && found < count; tried++) {
            int candidate = advance();
            if (isFree(candidate)) {
                ports[found++] = candidate;
            }
        }
        if (found < count) {
            throw new IOException("No free TCP port between " + LOWEST + " and " + (END - 1));
        }
        return ports;
    }

    private static int advance() {
        int port = next;
        next = next + 1 < END ? next + 1 : LOWEST;
        return port;
    }

    /** Returns whether the port is free on every address, as a peer that listens on the wildcard address needs. */
    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralStart() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            int start = Integer.parseInt(range[0]);
            return start > LOWEST + 1_000 ? start : DEFAULT_EPHEMERAL_START;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
