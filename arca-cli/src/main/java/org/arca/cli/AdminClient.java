package org.arca.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.arca.server.admin.AdminEndpoint;
import org.arca.server.admin.AdminToken;
import org.arca.server.admin.AdminTokenException;
import org.arca.server.warmup.WarmUp;
import org.arca.store.DataDirectory;

/**
 * A client of a running node's admin API, found through {@code <data>/admin/endpoint.json} and
 * authenticated with the token in {@code <data>/admin/token}. Every failure becomes a
 * {@link CliException} that names the data directory or file and the fix.
 */
final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** A restore of a large archive may take minutes; everything else takes well under a second. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

    /** The header that carries the operating-system user; the node records it as given. */
    private static final String USER_HEADER = "Arca-User";

    private final Path dataDirectory;
    private final AdminEndpoint endpoint;
    private final String token;
    private final HttpClient http;

    private AdminClient(Path dataDirectory, AdminEndpoint endpoint, String token) {
        this.dataDirectory = dataDirectory;
        this.endpoint = endpoint;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** Returns where the node's admin API listens, as host:port from its endpoint file. */
    String adminAddress() {
        return endpoint.host() + ":" + endpoint.port();
    }

    /** Reads the endpoint and token files of the node that runs on {@code dataDirectory}. */
    static AdminClient connect(Path dataDirectory) throws CliException {
        DataDirectories.requireNamed(dataDirectory);
        AdminEndpoint endpoint;
        try {
            endpoint = AdminEndpoint.read(dataDirectory);
        } catch (NoSuchFileException e) {
            if (Files.isDirectory(WarmUp.scratchDirectory(dataDirectory))) {
                throw warmingUp(dataDirectory);
            }
            if (DataDirectories.heldByRunningNode(dataDirectory)) {
                throw starting(dataDirectory);
            }
            throw noNode(dataDirectory, "it has no " + AdminEndpoint.fileOf(dataDirectory)
                    + ", which a running node writes");
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
        try {
            return new AdminClient(dataDirectory, endpoint, AdminToken.readForClient(dataDirectory));
        } catch (AdminTokenException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    JsonNode get(String path, String queryName, String queryValue) throws CliException {
        String query = "?" + queryName + "=" + URLEncoder.encode(queryValue, StandardCharsets.UTF_8);
        return send(request(path + query).GET().build());
    }

    JsonNode post(String path, Object body) throws CliException {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing the request to " + path + " as JSON failed", e);
        }
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
    }

    JsonNode get(String path) throws CliException {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
        return HttpRequest.newBuilder(URI.create("http://" + host + ":" + endpoint.port() + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header(USER_HEADER, System.getProperty("user.name"));
    }

    private JsonNode send(HttpRequest request) throws CliException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw noNode(dataDirectory, "nothing listens on " + address() + ", the address in "
                    + AdminEndpoint.fileOf(dataDirectory) + " (the node that wrote it has stopped)");
        } catch (HttpTimeoutException e) {
            throw new CliException("The node at " + address() + " did not respond within " + REQUEST_TIMEOUT
                    .toMinutes() + " minutes to " + request.method() + " " + request.uri().getPath()
                    + "; check its log, then run 'arca status --data " + dataDirectory + "'.", e);
        } catch (IOException e) {
            throw new CliException("Sending " + request.method() + " " + request.uri().getPath() + " to the node at "
                    + address() + " failed: " + e + "; check that the node runs with 'arca status --data "
                    + dataDirectory + "'.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted while waiting for the node at " + address() + ".", e);
        }
        return parse(request, response);
    }

    private JsonNode parse(HttpRequest request, HttpResponse<String> response) throws CliException {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CliException("The node at " + address() + " returned HTTP " + response.statusCode()
                    + " with a body that is not JSON; is another program listening on that port?", e);
        }
        if (response.statusCode() == 401) {
            throw new CliException("The node at " + address() + " rejected the token in "
                    + AdminToken.tokenFileOf(dataDirectory) + "; if that file was replaced after the node "
                    + "started, restart the node.");
        }
        if (response.statusCode() != 200) {
            String error = body.path("error").asText("(no message)");
            throw new CliException(request.method() + " " + request.uri().getPath() + " failed with HTTP "
                    + response.statusCode() + ": " + error);
        }
        return body;
    }

    private String address() {
        return endpoint.host() + ":" + endpoint.port();
    }

    /**
     * Builds the error for a data directory with a warm-up scratch directory and no endpoint file: a
     * node writes its endpoint file only after the warm-up.
     */
    private static CliException warmingUp(Path dataDirectory) {
        return new CliException("No Arca node responds on the data directory " + dataDirectory + " yet: "
                + WarmUp.scratchDirectory(dataDirectory) + " exists, so a node is probably warming up before it "
                + "listens (usually 5 to 20 seconds). Run the command again once its log says it is ready. If no "
                + "node runs, a killed warm-up left that directory, and the next 'arca serve' deletes it.");
    }

    private static CliException starting(Path dataDirectory) {
        return new CliException("No Arca node responds on the data directory " + dataDirectory + " yet, but a "
                + "process holds its lock file " + DataDirectory.lockFileOf(dataDirectory) + ": a node is probably "
                + "starting. Run the command again once its log says it is ready.");
    }

    private static CliException noNode(Path dataDirectory, String cause) {
        return new CliException("No Arca node is running on the data directory " + dataDirectory + ": " + cause
                + ". Start one with 'arca serve --data " + dataDirectory + "'.");
    }
}
