package org.arca.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the admin API. Each request must come from a loopback address and carry
 * {@code Authorization: Bearer <token>}; every other request gets 403 or 401 and a WARN line with
 * the remote address, method and path (never the presented token). Write requests name their
 * user in the {@value #USER_HEADER} header, which is recorded as given: it is not an
 * authenticated identity, because anyone who can read the token file can send any name.
 */
final class AdminHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    /** The operating-system user of the client, recorded as the author of a change. */
    static final String USER_HEADER = "Arca-User";

    /** Cap on a request body; the largest real one, an update with a few keywords, is far smaller. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String BEARER = "Bearer ";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final AdminToken token;
    private final AdminOperations operations;

    AdminHandler(AdminToken token, AdminOperations operations) {
        this.token = token;
        this.operations = operations;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();

        if (!isLoopback(remote)) {
            LOG.warn("Admin API rejected {} {} from {}: only loopback clients may use it.", method, path, remote);
            writeError(response, callback, HttpStatus.FORBIDDEN_403,
                    "The admin API accepts requests from loopback addresses only.");
            return true;
        }
        if (!authorized(request)) {
            LOG.warn("Admin API rejected {} {} from {}: missing or wrong bearer token.", method, path, remote);
            writeError(response, callback, HttpStatus.UNAUTHORIZED_401, "Missing or wrong bearer token; send "
                    + "'Authorization: Bearer <token>' with the token from the node's admin/token file.");
            return true;
        }

        try {
            Object body = route(request, method, path);
            writeJson(response, callback, HttpStatus.OK_200, body);
        } catch (AdminRequestException e) {
            LOG.info("Admin API request {} {} from {} failed with status {}: {}", method, path, remote, e.status(),
                    e.getMessage());
            writeError(response, callback, e.status(), e.getMessage());
        } catch (Exception e) {
            LOG.error("Admin API request {} {} from {} failed: {}", method, path, remote, e.toString(), e);
            writeError(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "The request failed on the node: "
                    + e + ". The node's log has the details.");
        }
        return true;
    }

    private Object route(Request request, String method, String path) throws Exception {
        String route = method + " " + path;
        return switch (route) {
            case "GET /status" -> operations.status();
            case "GET /history" -> {
                String study = Request.extractQueryParameters(request).getValue("study");
                yield AdminResponses.History.of(study, operations.history(study));
            }
            case "POST /delete" -> operations.delete(body(request, AdminRequests.LevelChange.class), user(request));
            case "POST /undelete" ->
                    operations.undelete(body(request, AdminRequests.LevelChange.class), user(request));
            case "POST /update" -> operations.update(body(request, AdminRequests.StudyUpdate.class), user(request));
            case "POST /restore" -> operations.restore(body(request, AdminRequests.Restore.class), user(request));
            case "POST /legal-hold" ->
                    operations.legalHold(body(request, AdminRequests.LegalHold.class), user(request));
            case "GET /legal-holds" -> operations.legalHolds();
            case "POST /reconcile" -> operations.reconcile(user(request));
            default -> throw new AdminRequestException(HttpStatus.NOT_FOUND_404, "No admin resource for " + route
                    + "; the admin API serves GET /status, GET /history?study=UID, GET /legal-holds, and POST "
                    + "/delete, /undelete, /update, /restore, /legal-hold and /reconcile.");
        };
    }

    private static <T> T body(Request request, Class<T> type) throws IOException, AdminRequestException {
        byte[] content;
        try (InputStream in = Content.Source.asInputStream(request)) {
            content = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (content.length > MAX_BODY_BYTES) {
            throw new AdminRequestException(HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
        try {
            return JSON.readValue(content, type);
        } catch (JsonProcessingException e) {
            throw new AdminRequestException(HttpStatus.BAD_REQUEST_400,
                    "The request body is not valid JSON for this request: " + e.getOriginalMessage(), e);
        }
    }

    private static String user(Request request) throws AdminRequestException {
        String user = request.getHeaders().get(USER_HEADER);
        if (user == null || user.isBlank()) {
            throw new AdminRequestException(HttpStatus.BAD_REQUEST_400, "The header " + USER_HEADER
                    + " is missing; send the operating-system user name of the person making the change.");
        }
        return AdminOperations.required(USER_HEADER, user.strip());
    }

    private boolean authorized(Request request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        return token.matches(authorization.substring(BEARER.length()).strip());
    }

    /** Returns whether the peer is on a loopback address; the listener binds to loopback, so this is a second check. */
    static boolean isLoopback(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }

    private static void writeError(Response response, Callback callback, int status, String message) {
        writeJson(response, callback, status, new AdminResponses.Error(status, message));
    }

    private static void writeJson(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            LOG.error("Writing the admin API response as JSON failed: {}", e.toString(), e);
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
            bytes = "{\"status\":500,\"error\":\"Writing the response failed; the node's log has the details.\"}"
                    .getBytes(StandardCharsets.UTF_8);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
