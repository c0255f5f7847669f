package dev.grace.admin.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.grace.runtime.config.Durations;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One request's path segments, query parameters and (capped) body, read with one clear error per mistake. */
final class Request {

    /** The largest request body accepted. */
    static final int MAX_BODY = 64 * 1024;
    /** Domains, KPIs and metrics: letters, digits, '_', '-' and '.', as plugins may declare them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final HttpExchange exchange;
    private final List<String> segments;
    private final Map<String, String> query;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        this.segments = segments(exchange.getRequestURI().getRawPath());
        this.query = query(exchange.getRequestURI().getRawQuery());
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** The decoded path segments; {@code /api/plugins} is {@code [api, plugins]}. */
    List<String> segments() {
        return segments;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /**
     * Decodes each segment and refuses {@code .}, {@code ..} and encoded separators: nothing here
     * maps a path to a file, and nothing should look as if it could.
     */
    private static List<String> segments(String rawPath) {
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
    Request onlyParameters(String... known) {
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
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException notAnInstant) {
            try {
                Duration ago = Durations.parse(v);
                if (!ago.isNegative()) {
                    return clock.instant().minus(ago);
                }
            } catch (IllegalArgumentException | ArithmeticException notADuration) {
                // the message below says what is expected
            }
        }
        throw HttpError.badParameter(name, "expected a duration back from now such as 24h or 7d, or an ISO-8601"
                + " instant such as 2024-05-01T00:00:00Z, got \"" + v + "\"");
    }

    /**
     * The body, at most {@link #MAX_BODY} bytes: a larger declared length is refused before
     * reading, a longer stream as soon as it passes the limit.
     */
    byte[] body() throws IOException {
        String length = header("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length", "Content-Length: expected a number, got \"" + length + "\"");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static HttpError tooLarge() {
        return new HttpError(413, "body", "body: larger than " + MAX_BODY / 1024 + " KiB; send fewer values per request");
    }
}
