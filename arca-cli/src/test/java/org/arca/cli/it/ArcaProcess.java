package org.arca.cli.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arca.dicom.testing.TestPorts;

/**
 * {@code arca serve} as a separate operating-system process on 127.0.0.1, so that tests can
 * send it real DICOM traffic, SIGTERM it, or kill -9 it.
 */
final class ArcaProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path logFile;
    private final int dicomPort;
    private final int httpPort;

    private ArcaProcess(Process process, Path logFile, int dicomPort, int httpPort) {
        this.process = process;
        this.logFile = logFile;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
    }

    /**
     * Starts a node on the data directory and waits until GET /health returns 200. The node skips
     * its warm-up, which would add seconds to each test; {@link #startWithWarmUp} keeps it.
     */
    static ArcaProcess start(Path dataDirectory, String... extraArgs) throws IOException, InterruptedException {
        return startWithJvmOptions(dataDirectory, List.of(), extraArgs);
    }

    /** Starts a node with its default warm-up and waits until GET /health returns 200. */
    static ArcaProcess startWithWarmUp(Path dataDirectory, String... extraArgs)
            throws IOException, InterruptedException {
        return start(dataDirectory, List.of(), false, extraArgs);
    }

    /**
     * Starts a node with extra JVM options placed before the main class, such as
     * {@code -Darca.fault=...}, and waits until GET /health returns 200.
     */
    static ArcaProcess startWithJvmOptions(Path dataDirectory, List<String> jvmOptions, String... extraArgs)
            throws IOException, InterruptedException {
        return start(dataDirectory, jvmOptions, true, extraArgs);
    }

    private static ArcaProcess start(Path dataDirectory, List<String> jvmOptions, boolean skipWarmUp,
            String... extraArgs) throws IOException, InterruptedException {
        int[] ports = TestPorts.freePorts(2);
        int dicomPort = ports[0];
        int httpPort = ports[1];
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.arca.cli.Main", "serve",
                "--data", dataDirectory.toString(), "--bind", "127.0.0.1",
                "--dicom-port", String.valueOf(dicomPort), "--http-port", String.valueOf(httpPort)));
        if (skipWarmUp) {
            command.add("--no-warm-up");
        }
        command.addAll(List.of(extraArgs));
        Path logFile = Files.createTempFile("arca-serve-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        ArcaProcess arca = new ArcaProcess(process, logFile, dicomPort, httpPort);
        arca.awaitHealthy();
        return arca;
    }

    int dicomPort() {
        return dicomPort;
    }

    int httpPort() {
        return httpPort;
    }

    long pid() {
        return process.pid();
    }

    String log() throws IOException {
        return Files.readString(logFile);
    }

    /** Waits until the log contains the text, because the node may log after it has responded. */
    String awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String log = log();
        while (!log.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            log = log();
        }
        return log;
    }

    /** Returns the HTTP status of GET /health, or -1 when nothing responds. */
    int healthStatus() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                            .timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sends SIGTERM and returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("arca serve did not exit within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** Waits until the process exits on its own and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("arca serve did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** Sends SIGKILL, as a power cut would end the process, and waits until it is gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("arca serve exited with " + process.exitValue() + " during start:\n" + log());
            }
            if (healthStatus() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("arca serve did not become healthy within " + START_TIMEOUT + ":\n" + log());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
