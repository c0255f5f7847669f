package dev.grace.admin.internal;

import java.util.Map;

/**
 * A request the server refuses: the status, one line saying what was wrong and what would be right,
 * the parameter it is about (null when none) and any header the answer needs ({@code Allow},
 * {@code WWW-Authenticate}). Sent as {@code application/problem+json}, see {@link Reply#problem}.
 */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String parameter;
    private final transient Map<String, String> headers;

    HttpError(int status, String parameter, String message) {
        this(status, parameter, message, Map.of());
    }

    private HttpError(int status, String parameter, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.parameter = parameter;
        this.headers = headers;
    }

    static HttpError badParameter(String parameter, String message) {
        return new HttpError(400, parameter, parameter + ": " + message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, null, message);
    }

    /** The same error, answered with one more header. */
    HttpError withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpError(status, parameter, getMessage(), Map.copyOf(more));
    }

    int status() {
        return status;
    }

    String parameter() {
        return parameter;
    }

    Map<String, String> headers() {
        return headers;
    }
}
