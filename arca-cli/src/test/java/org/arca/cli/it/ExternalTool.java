package org.arca.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line peer (dcmtk, python3 with pydicom) to its end and keeps its output. */
final class ExternalTool {

    /** The output of a finished command. */
    record Result(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    /**
     * Runs a command with TCP_NODELAY=1 in its environment, because dcmtk leaves Nagle's
     * algorithm on otherwise and every DIMSE exchange then waits about 40 ms.
     */
    static Result run(List<String> command, Path workingDirectory, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Map<String, String> environment = builder.environment();
        environment.put("TCP_NODELAY", "1");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
