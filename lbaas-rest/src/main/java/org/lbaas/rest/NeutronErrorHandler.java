package org.lbaas.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers by itself, before a request reaches the API (a malformed request line,
 * a head over 8 KiB, an unparsable {@code Content-Length}, ...), in Neutron's shape too:
 * {@code {"NeutronError": {"type", "message", "detail": ""}}}, never an HTML page.
 */
final class NeutronErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object status = request.getAttribute(ERROR_STATUS);
        int code = status instanceof Integer i ? i : response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        byte[] body = body(code, message == null ? null : message.toString());
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=UTF-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    static byte[] body(int status, String reason) {
        String type = switch (status) {
            case 400 -> "HTTPBadRequest";
            case 404 -> "HTTPNotFound";
            case 405 -> "HTTPMethodNotAllowed";
            case 408 -> "HTTPRequestTimeout";
            case 413 -> "HTTPRequestEntityTooLarge";
            case 414 -> "HTTPRequestURITooLong";
            case 415 -> "HTTPUnsupportedMediaType";
            case 431 -> "HTTPRequestHeaderFieldsTooLarge";
            case 503 -> "HTTPServiceUnavailable";
            default -> status >= 500 ? "HTTPInternalServerError" : "HTTPError";
        };
        String message = "the request could not be read (HTTP " + status + (reason == null || reason.isBlank() ? "" : ": " + reason) + ")";
        var node = Json.object();
        node.putObject("NeutronError").put("type", type).put("message", message).put("detail", "");
        return Json.print(node).getBytes(StandardCharsets.UTF_8);
    }
}
