package org.arca.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Orthanc 1.10.1 as a separate process with a configuration of its own in a temporary
 * directory, and a client of its REST API on 127.0.0.1. Orthanc 1.10 has no option to bind its
 * DICOM port to one address, so it listens on every interface: tests send to 127.0.0.1 only.
 */
final class OrthancProcess implements AutoCloseable {

    static final String AE_TITLE = "ORTHANC";
    static final String BINARY = "/usr/sbin/Orthanc";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path logFile;
    private final int dicomPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private OrthancProcess(Process process, Path logFile, int dicomPort, int httpPort) {
        this.process = process;
        this.logFile = logFile;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
    }

    /**
     * Starts Orthanc on the given ports with storage in {@code directory}, knowing Arca as the
     * modality "arca" (AE ARCA at 127.0.0.1:arcaPort), and waits until GET /system returns 200.
     */
    static OrthancProcess start(Path directory, int dicomPort, int httpPort, int arcaPort)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path config = directory.resolve("orthanc.json");
        Files.writeString(config, configuration(directory, dicomPort, httpPort, arcaPort).toPrettyString());
        Path logFile = directory.resolve("orthanc.log");
        ProcessBuilder builder = new ProcessBuilder(BINARY, config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // Orthanc uses dcmtk's network code, which leaves Nagle's algorithm on without this.
        builder.environment().put("TCP_NODELAY", "1");
        OrthancProcess orthanc = new OrthancProcess(builder.start(), logFile, dicomPort, httpPort);
        orthanc.awaitStarted();
        return orthanc;
    }

    private static ObjectNode configuration(Path directory, int dicomPort, int httpPort, int arcaPort) {
        ObjectNode config = JSON.createObjectNode();
        config.put("Name", "ArcaInteropTest");
        config.put("StorageDirectory", directory.resolve("storage").toString());
        config.put("IndexDirectory", directory.resolve("index").toString());
        config.put("DicomAet", AE_TITLE);
        config.put("DicomPort", dicomPort);
        config.put("HttpPort", httpPort);
        config.put("RemoteAccessAllowed", false);
        config.put("AuthenticationEnabled", false);
        config.putArray("Plugins");
        config.put("DicomCheckCalledAet", true);
        config.put("DicomAlwaysAllowEcho", true);
        config.put("DicomAlwaysAllowFind", true);
        config.put("DicomAlwaysAllowGet", true);
        config.put("DicomAlwaysAllowMove", true);
        config.put("DicomAlwaysAllowStore", true);
        config.put("DicomScuTimeout", 30);
        // With keep-alive on, requests intermittently failed with "header parser received no bytes":
        // Orthanc closed an idle connection while the HTTP client reused it. One connection per request avoids that.
        config.put("KeepAlive", false);
        ArrayNode arca = config.putObject("DicomModalities").putArray("arca");
        arca.add("ARCA").add("127.0.0.1").add(arcaPort);
        return config;
    }

    int dicomPort() {
        return dicomPort;
    }

    String log() throws IOException {
        return Files.readString(logFile);
    }

    /** Sends GET and returns the JSON body; fails on a status other than 200. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(send(HttpRequest.newBuilder(uri(path)).GET(), path));
    }

    /** Sends GET and returns the raw body, such as a Part 10 file. */
    byte[] getBytes(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), path);
    }

    JsonNode post(String path, byte[] body) throws IOException, InterruptedException {
        return JSON.readTree(send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                path));
    }

    JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return post(path, JSON.writeValueAsBytes(body));
    }

    void delete(String path) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(uri(path)).DELETE(), path);
    }

    private byte[] send(HttpRequest.Builder request, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("Orthanc answered " + response.statusCode() + " to " + request.build().method()
                    + " " + path + ": " + new String(response.body()) + "\nOrthanc log:\n" + log());
        }
        return response.body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private void awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Orthanc exited with " + process.exitValue() + " during start:\n" + log());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/system"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        close();
        throw new AssertionError("Orthanc did not answer GET /system within " + START_TIMEOUT + ":\n" + log());
    }

    /** Sends SIGTERM to Orthanc's PID and waits; SIGKILL if it does not exit within 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
