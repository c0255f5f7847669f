package dev.grace.admin.internal;

/**
 * A request the server refuses: the status, one line saying what was wrong and what would be right,
 * and the parameter it is about (null when none). Sent as {@code {"error": ..., "parameter": ...}}.
 */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String parameter;

    HttpError(int status, String parameter, String message) {
        super(message, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    static HttpError badParameter(String parameter, String message) {
        return new HttpError(400, parameter, parameter + ": " + message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, null, message);
    }

    int status() {
        return status;
    }

    String parameter() {
        return parameter;
    }
}
