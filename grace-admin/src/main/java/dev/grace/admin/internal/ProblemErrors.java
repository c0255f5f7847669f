package dev.grace.admin.internal;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The answers Jetty writes itself, before a request reaches {@link AdminHandler}: a request that is
 * not HTTP, a header too large, an HTTP version it does not speak. They are problems like every other
 * 4xx ({@code application/problem+json}), never Jetty's HTML page, and never carry a stack trace.
 */
final class ProblemErrors extends ErrorHandler {

    /** The request line and headers, as the HTTP parser caps them. */
    static final int MAX_HEAD = 8 * 1024;

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Reply reply = reply(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    /** A request the parser refused: there is no request object to answer through. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        Reply reply = reply(status, reason);
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, reply.contentType()));
        fields.put(new HttpField(HttpHeader.CACHE_CONTROL, "no-store"));
        return ByteBuffer.wrap(reply.body());
    }

    private static Reply reply(int code, String message) {
        String why = message == null || message.isBlank() ? "" : " (" + message + ")";
        String detail = switch (code) {
            case 400 -> "not a well-formed HTTP/1.1 request" + why + "; this server speaks plain HTTP/1.1, no TLS";
            case 408 -> "the request did not arrive in time" + why;
            case 414, 431 -> "the request line and headers are larger than " + MAX_HEAD / 1024 + " KiB" + why;
            case 505 -> "HTTP version not supported" + why + "; use HTTP/1.1 or HTTP/1.0";
            default -> code >= 500
                    ? "internal error while answering this request; the runtime's log has the details"
                    : "the request was refused" + why;
        };
        return Reply.problem(code, detail, code == 414 || code == 431 ? "headers" : null, Map.of());
    }
}
