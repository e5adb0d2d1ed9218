package org.arca.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@code GET /health}: 200 while the node accepts writes, 503 otherwise, each with a
 * small JSON body that load balancers and operators can read.
 */
final class HealthHandler extends Handler.Abstract {

    private final BooleanSupplier acceptingWrites;

    HealthHandler(BooleanSupplier acceptingWrites) {
        this.acceptingWrites = acceptingWrites;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!"/health".equals(path)) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404,
                    "No resource at " + path + "; this node serves GET /health.");
            return true;
        }
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                    "Method " + request.getMethod() + " is not allowed on /health; use GET.");
            return true;
        }
        boolean up = acceptingWrites.getAsBoolean();
        String body = up
                ? "{\"status\":\"UP\",\"acceptingWrites\":true}\n"
                : "{\"status\":\"DOWN\",\"acceptingWrites\":false}\n";
        response.setStatus(up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
