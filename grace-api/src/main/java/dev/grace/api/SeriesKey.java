package dev.grace.api;

import org.jspecify.annotations.Nullable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical string that names one series of a KPI, as rollups, the store, the CLI and HTTP
 * carry it: {@link #TOTAL} ({@code ""}) for the KPI's total, {@code key=value} pairs sorted by key
 * and joined with {@code ,} for a series (a {@code ,}, {@code =} or {@code \} in a value is escaped
 * with a {@code \}), and {@link #OVERFLOW} ({@code _overflow}) for the KPI's overflow series.
 * Attribute keys cannot start with {@code _}, so no attribute set names the overflow series.
 */
public final class SeriesKey {

    /** The key of a KPI's total: every value recorded into the KPI, with or without attributes. */
    public static final String TOTAL = "";
    /** The key of the one series that holds a KPI's values bound past its {@link Kpi#maxSeries()}. */
    public static final String OVERFLOW = "_overflow";

    private SeriesKey() {
    }

    /** The canonical key of an attribute set; {@link #TOTAL} for an empty or null one. */
    public static String of(@Nullable Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return TOTAL;
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(attributes).entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey()).append('=');
            String v = e.getValue();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == ',' || c == '=' || c == '\\') {
                    b.append('\\');
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The attribute set a canonical key names, sorted by key; empty for {@link #TOTAL} and
     * {@link #OVERFLOW}.
     *
     * @throws IllegalArgumentException when {@code key} is not a canonical key
     */
    public static Map<String, String> parse(String key) {
        if (key.isEmpty() || key.equals(OVERFLOW)) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i <= key.length()) {
            int eq = key.indexOf('=', i);
            if (eq <= i) {
                throw new IllegalArgumentException("series key '" + key + "': expected key=value at index " + i);
            }
            String k = key.substring(i, eq);
            StringBuilder v = new StringBuilder();
            int j = eq + 1;
            for (; j < key.length(); j++) {
                char c = key.charAt(j);
                if (c == '\\' && j + 1 < key.length()) {
                    v.append(key.charAt(++j));
                } else if (c == ',') {
                    break;
                } else {
                    v.append(c);
                }
            }
            if (out.put(k, v.toString()) != null) {
                throw new IllegalArgumentException("series key '" + key + "': key " + k + " appears twice");
            }
            i = j + 1;
        }
        return Collections.unmodifiableMap(out);
    }

    /** Whether {@code key} names a KPI's total. */
    public static boolean isTotal(String key) {
        return key.isEmpty();
    }

    /** Whether {@code key} names a KPI's overflow series. */
    public static boolean isOverflow(String key) {
        return OVERFLOW.equals(key);
    }

    /** An immutable copy, empty for null; null keys or values are dropped (for display only). */
    static Map<String, String> copyOrEmpty(@Nullable Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new TreeMap<>();
        try {
            attributes.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(k, v);
                }
            });
        } catch (RuntimeException hostileOrConcurrent) {
            // a display copy: what was read is enough
        }
        return Collections.unmodifiableMap(copy);
    }
}
