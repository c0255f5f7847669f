package dev.grace.plugins.federation;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One list item of the plugin's config written as {@code key=value} fields separated by spaces, for
 * example {@code name=billing url=https://billing.example/health timeout=2s}: the form a list entry
 * takes while the plugin config API reads lists of single values only. Every error names the item
 * ({@code plugins.federation.connectors[0]}) and the field.
 */
final class Fields {

    static final String DURATION = "a duration such as 500ms, 30s, 2h or PT2H";
    private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

    private final String where;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Fields(String where) {
        this.where = where;
    }

    /** Takes the fields of one map item ({@code - {name: billing, url: ...}}), allowing only {@code known} names. */
    static Fields of(String where, Map<String, String> map, List<String> known) {
        Fields f = new Fields(where);
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw f.wrong("unknown field \"" + e.getKey() + "\" (known: " + String.join(", ", known) + ")");
            }
            f.values.put(e.getKey(), e.getValue().strip());
        }
        return f;
    }

    /** Parses {@code text}, allowing only {@code known} field names. */
    static Fields parse(String where, String text, List<String> known) {
        Fields f = new Fields(where);
        for (String token : text.strip().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw f.wrong("expected key=value fields separated by spaces (" + String.join(", ", known)
                        + "), got \"" + token + "\"");
            }
            String key = token.substring(0, eq);
            if (!known.contains(key)) {
                throw f.wrong("unknown field \"" + key + "\" (known: " + String.join(", ", known) + ")");
            }
            if (f.values.put(key, token.substring(eq + 1)) != null) {
                throw f.wrong("field " + key + " is given twice");
            }
        }
        return f;
    }

    String where() {
        return where;
    }

    String require(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw wrong("field " + key + " is required");
        }
        return v;
    }

    Duration duration(String key, Duration defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : duration(where + " field " + key, v);
    }

    int integer(String key, int defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw wrong("field " + key + " must be a whole number, got \"" + v + "\"");
        }
    }

    /** Parses a duration the way the runtime's config does, naming {@code where} when it cannot. */
    static Duration duration(String where, String text) {
        Matcher m = SHORT.matcher(text.strip());
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text.strip());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(where + " must be " + DURATION + ", got \"" + text + "\"");
        }
    }

    IllegalArgumentException wrong(String what) {
        return new IllegalArgumentException(where + ": " + what);
    }
}
