package dev.grace.plugins.federation;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.List;

/**
 * A configured connector.
 *
 * @param name             its name, for logs and causes
 * @param url              the http or https URL it GETs
 * @param timeout          the most one attempt may take, connecting included
 * @param retries          attempts after the first when one fails
 * @param backoff          the pause before the first retry; each later one doubles it
 * @param failureThreshold consecutive failed calls that open its breaker
 * @param coolDown         how long an open breaker refuses calls before a trial
 */
public record ConnectorSpec(String name, URI url, Duration timeout, int retries, Duration backoff,
                            int failureThreshold, Duration coolDown) {

    static final List<String> FIELDS = List.of("name", "url", "timeout", "retries", "backoff", "failureThreshold",
            "coolDown");

    /** Checks every value; a bad one fails naming the field and what would be right. */
    public ConnectorSpec {
        String at = "connector " + name;
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(at + ": timeout must be positive, got " + timeout);
        }
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException(at + ": retries must be between 0 and 10, got " + retries);
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException(at + ": backoff must not be negative, got " + backoff);
        }
        if (failureThreshold < 1) {
            throw new IllegalArgumentException(at + ": failureThreshold must be at least 1, got " + failureThreshold);
        }
        if (coolDown.isZero() || coolDown.isNegative()) {
            throw new IllegalArgumentException(at + ": coolDown must be positive, got " + coolDown);
        }
    }

    /**
     * Reads one {@code connectors} item, such as {@code name=billing url=https://billing.example/health
     * timeout=2s}; fields it leaves out come from {@code defaults}.
     */
    static ConnectorSpec parse(String where, String item, ConnectorSpec defaults) {
        return of(Fields.parse(where, item, FIELDS), defaults);
    }

    /** Reads one {@code connectors} item given as a map of fields. */
    static ConnectorSpec of(String where, java.util.Map<String, String> item, ConnectorSpec defaults) {
        return of(Fields.of(where, item, FIELDS), defaults);
    }

    private static ConnectorSpec of(Fields f, ConnectorSpec defaults) {
        String where = f.where();
        URI url = url(where + " field url", f.require("url"));
        try {
            return new ConnectorSpec(f.require("name"), url, f.duration("timeout", defaults.timeout()),
                    f.integer("retries", defaults.retries()), f.duration("backoff", defaults.backoff()),
                    f.integer("failureThreshold", defaults.failureThreshold()),
                    f.duration("coolDown", defaults.coolDown()));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** Checks that {@code text} is an absolute http or https URL with a host. */
    static URI url(String where, String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + " is not a URL (" + e.getReason() + " at index "
                    + e.getIndex() + "): \"" + text + "\"");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(where + " must be an http or https URL, got \"" + text + "\"");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException(where + " has no host: \"" + text + "\"");
        }
        return url;
    }
}
