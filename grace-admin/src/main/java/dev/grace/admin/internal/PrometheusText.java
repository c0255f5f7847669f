package dev.grace.admin.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: per metric family one {@code # HELP}
 * and one {@code # TYPE} line, then its samples together. Label values and help text are escaped as
 * the format requires; values are Go-style floats ({@code NaN}, {@code +Inf}).
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, Family> families = new LinkedHashMap<>();

    private record Family(String name, String type, String help, List<String> samples) {
    }

    /** A gauge sample; labels are name, value pairs. */
    PrometheusText gauge(String name, String help, double value, String... labels) {
        return sample(name, "gauge", help, value, labels);
    }

    /** A counter sample; {@code name} ends in {@code _total}. */
    PrometheusText counter(String name, String help, double value, String... labels) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("counter names end in _total: " + name);
        }
        return sample(name, "counter", help, value, labels);
    }

    /** Declares a family with no samples yet, so that it appears (with HELP and TYPE) even when empty. */
    PrometheusText declare(String name, String type, String help) {
        families.computeIfAbsent(name, n -> new Family(n, type, help, new ArrayList<>()));
        return this;
    }

    private PrometheusText sample(String name, String type, String help, double value, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Family f = families.computeIfAbsent(name, n -> new Family(n, type, help, new ArrayList<>()));
        StringBuilder line = new StringBuilder(name);
        if (labels.length > 0) {
            line.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    line.append(',');
                }
                line.append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
            }
            line.append('}');
        }
        line.append(' ').append(number(value));
        f.samples().add(line.toString());
        return this;
    }

    String render() {
        StringBuilder out = new StringBuilder(4096);
        for (Family f : families.values()) {
            out.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help())).append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
            f.samples().forEach(s -> out.append(s).append('\n'));
        }
        return out.toString();
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
