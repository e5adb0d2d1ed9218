package org.arca.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arca.dicom.testing.TestPorts;

/**
 * dcmtk's storescp as a Move Destination: it writes every received dataset unchanged
 * (--bit-preserving) into one directory. It listens on every interface, because storescp 3.6.7
 * has no bind option; the tests send to it only on 127.0.0.1.
 */
final class Storescp implements AutoCloseable {

    static final String AE_TITLE = "STORESCP";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path logFile;

    private Storescp(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Starts storescp on a free port and waits until it answers a C-ECHO. */
    static Storescp start(Path outputDirectory) throws IOException, InterruptedException {
        Files.createDirectories(outputDirectory);
        int port = TestPorts.freePort();
        Path logFile = Files.createTempFile("storescp-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("storescp", "-v", "--bit-preserving", "+xa",
                "-aet", AE_TITLE, "-od", outputDirectory.toString(), String.valueOf(port)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("TCP_NODELAY", "1");
        Storescp storescp = new Storescp(builder.start(), port, logFile);
        storescp.awaitEcho();
        return storescp;
    }

    int port() {
        return port;
    }

    String log() throws IOException {
        return Files.readString(logFile);
    }

    /** Kills storescp by its PID, as a crashed or unplugged destination would vanish. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private void awaitEcho() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("storescp exited with " + process.exitValue() + " during start:\n" + log());
            }
            ExternalTool.Result echo = ExternalTool.run(List.of("echoscu", "-aec", AE_TITLE, "127.0.0.1",
                    String.valueOf(port)), null, 30);
            if (echo.exitCode() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("storescp did not answer a C-ECHO within " + START_TIMEOUT + ":\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
