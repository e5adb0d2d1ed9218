package org.arca.dicom.dimse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs dcmtk command-line tools with TCP_NODELAY=1, bounded in time (test only). */
final class Dcmtk {
    record Result(int exitCode, String output) {
    }

    private Dcmtk() {
    }

    static Process start(List<String> command) throws IOException {
        return start(command, null);
    }

    /** Starts a tool in {@code workingDirectory}, or in this process's directory if null. */
    static Process start(List<String> command, java.io.File workingDirectory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(workingDirectory);
        builder.environment().put("TCP_NODELAY", "1");
        return builder.start();
    }

    static Result run(List<String> command) throws Exception {
        return run(command, null);
    }

    static Result run(List<String> command, java.io.File workingDirectory) throws Exception {
        Process process = start(command, workingDirectory);
        // Reading to the end returns when the tool exits; the waitFor bound only matters for a hung tool.
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not exit within 60 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
