package dev.grace.admin.internal;

import dev.grace.runtime.config.Durations;
import org.eclipse.jetty.http.HttpFields;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One request's method, path segments, path parameters, query parameters, headers and (capped, already
 * read) body, read with one clear error per mistake.
 */
final class AdminRequest {

    /** The largest request body accepted. */
    static final int MAX_BODY = 64 * 1024;
    /** Domains, KPIs and metrics: letters, digits, '_', '-' and '.', as plugins may declare them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    /**
     * The instants a request may name: the store counts milliseconds from 1970 and ISO-8601 has
     * four-digit years. Outside them a time is a mistake (a 400), not a failure inside (a 500).
     */
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final String method;
    private final List<String> segments;
    private final Map<String, String> pathParameters;
    private final Map<String, String> query;
    private final HttpFields headers;
    private final byte[] body;

    private AdminRequest(String method, List<String> segments, Map<String, String> pathParameters,
                         Map<String, String> query, HttpFields headers, byte[] body) {
        this.method = method;
        this.segments = segments;
        this.pathParameters = pathParameters;
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    /** @throws HttpError when the query's encoding is bad or a parameter is given twice */
    AdminRequest(String method, List<String> segments, Map<String, String> pathParameters, String rawQuery,
                 HttpFields headers) {
        this(method, segments, Map.copyOf(pathParameters), query(rawQuery), headers, new byte[0]);
    }

    /** The same request with its body, read by the server. */
    AdminRequest withBody(byte[] read) {
        return new AdminRequest(method, segments, pathParameters, query, headers, read);
    }

    String method() {
        return method;
    }

    /** The decoded path segments; {@code /api/plugins} is {@code [api, plugins]}. */
    List<String> segments() {
        return segments;
    }

    /** A segment the route named, such as {@code domain} in {@code /api/cognition/domain/{domain}/update}. */
    String path(String name) {
        String v = pathParameters.get(name);
        if (v == null) {
            throw new IllegalStateException("the route has no path parameter " + name);
        }
        return v;
    }

    String header(String name) {
        return headers.get(name);
    }

    /**
     * Decodes each segment and refuses {@code .}, {@code ..} and encoded separators: nothing here
     * maps a path to a file, and nothing should look as if it could.
     */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        String path = rawPath == null ? "/" : rawPath;
        for (String raw : path.split("/", -1)) {
            if (raw.isEmpty()) {
                continue;
            }
            String s = decode(raw, "path");
            if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0) {
                throw new HttpError(400, "path", "path: segment \"" + raw + "\" is not allowed (no '.', '..' or"
                        + " encoded separators)");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), "query");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), key);
            if (out.putIfAbsent(key, value) != null) {
                throw HttpError.badParameter(key, "given twice; give it once");
            }
        }
        return out;
    }

    private static String decode(String s, String parameter) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badParameter(parameter, "bad percent-encoding in \"" + s + "\"");
        }
    }

    /** Refuses parameters this endpoint does not know, naming the known ones: a typo should not pass silently. */
    AdminRequest onlyParameters(String... known) {
        List<String> allowed = List.of(known);
        for (String k : query.keySet()) {
            if (!allowed.contains(k)) {
                throw HttpError.badParameter(k, "unknown parameter" + (allowed.isEmpty() ? "; this endpoint takes none"
                        : "; known: " + String.join(", ", allowed)));
            }
        }
        return this;
    }

    String parameter(String name) {
        String v = query.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    String required(String name) {
        String v = parameter(name);
        if (v == null) {
            throw HttpError.badParameter(name, "required");
        }
        return v;
    }

    /** A domain, KPI or metric name from the query or the path. */
    static String name(String parameter, String value) {
        if (!NAME.matcher(value).matches()) {
            throw HttpError.badParameter(parameter, "expected a name of letters, digits, '_', '-' or '.', got \""
                    + value + "\"");
        }
        return value;
    }

    int intParameter(String name, int dflt, int min, int max) {
        String v = parameter(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw HttpError.badParameter(name, "expected a whole number from " + min + " to " + max + ", got \"" + v + "\"");
    }

    /**
     * An instant: a duration back from now ({@code 24h}, {@code 7d}) or an ISO-8601 instant
     * ({@code 2024-05-01T00:00:00Z}).
     */
    Instant instantParameter(String name, Duration dfltAgo, Clock clock) {
        String v = parameter(name);
        if (v == null) {
            return dfltAgo == null ? null : clock.instant().minus(dfltAgo);
        }
        Instant at;
        try {
            at = Instant.parse(v);
        } catch (DateTimeParseException notAnInstant) {
            Duration ago;
            try {
                ago = Durations.parse(v);
            } catch (IllegalArgumentException notADuration) {
                ago = null;
            }
            if (ago == null || ago.isNegative()) {
                throw HttpError.badParameter(name, "expected a duration back from now such as 24h or 7d, or an"
                        + " ISO-8601 instant such as 2024-05-01T00:00:00Z, got \"" + v + "\"");
            }
            try {
                at = clock.instant().minus(ago);
            } catch (DateTimeException | ArithmeticException beforeTimeItself) {
                at = Instant.MIN;
            }
        }
        return inRange(name, at);
    }

    /** An ISO-8601 instant, as {@code hour=} takes it. */
    Instant isoInstantParameter(String name, String example) {
        String v = parameter(name);
        if (v == null) {
            return null;
        }
        try {
            return inRange(name, Instant.parse(v));
        } catch (DateTimeParseException e) {
            throw HttpError.badParameter(name, "expected an ISO-8601 instant such as " + example + ", got \"" + v + "\"");
        }
    }

    private static Instant inRange(String name, Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw HttpError.badParameter(name, "out of range: times from " + EARLIEST + " to " + LATEST
                    + " are served, got " + (at.equals(Instant.MIN) ? "a time before that" : at.toString()));
        }
        return at;
    }

    /** The body, at most {@link #MAX_BODY} bytes: the server refused larger ones before this request was made. */
    byte[] body() {
        return body;
    }

    /**
     * Refuses a declared length over {@link #MAX_BODY} before anything is read; a malformed
     * length never reaches here (the HTTP parser answers 400).
     */
    static void checkDeclaredLength(long contentLength) {
        if (contentLength > MAX_BODY) {
            throw tooLarge();
        }
    }

    static HttpError tooLarge() {
        return new HttpError(413, "body", "body: larger than " + MAX_BODY / 1024 + " KiB; send fewer values per request");
    }
}
