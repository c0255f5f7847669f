package dev.grace.admin.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code /metrics} in the Prometheus text format 0.0.4 or in OpenMetrics 1.0.0, byte for byte
 * as the Prometheus project's Java writers (client_java 1.x {@code PrometheusTextFormatWriter} and
 * {@code OpenMetricsTextFormatWriter}) write the same families: families sorted by name, each family's
 * samples sorted by their labels and each sample's labels by name, values as Java writes doubles.
 * The test {@code PrometheusTextTest} holds it to that. It is hand-written rather than the library
 * because a scrape then builds no snapshot objects and the admin server keeps no dependency but Jetty.
 *
 * <p>Families without samples are left out, as the library leaves them out. Names are Grace's own
 * constants, so they are not checked here; label values and help text are escaped as each format
 * requires.
 */
final class PrometheusText {

    /** The quantiles of every summary: the smallest value, the median, p95, p99 and the largest. */
    static final double[] QUANTILES = {0, 0.5, 0.95, 0.99, 1};

    /** What a scrape is answered in. */
    enum Format {
        TEXT("text/plain; version=0.0.4; charset=utf-8"),
        OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

        private final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        String contentType() {
            return contentType;
        }

        /**
         * OpenMetrics when the Accept header lists {@code application/openmetrics-text} with a weight
         * above 0 and no version or version 1.0.0 or 0.0.1 (what Prometheus sends), otherwise text 0.0.4.
         */
        static Format accepted(String accept) {
            if (accept == null) {
                return TEXT;
            }
            for (String range : accept.split(",")) {
                String[] parts = range.split(";");
                if (!parts[0].trim().equalsIgnoreCase("application/openmetrics-text")) {
                    continue;
                }
                String version = null;
                double q = 1;
                for (int i = 1; i < parts.length; i++) {
                    String[] kv = parts[i].split("=", 2);
                    String key = kv[0].trim().toLowerCase(Locale.ROOT);
                    String value = kv.length > 1 ? kv[1].trim() : "";
                    if (key.equals("version")) {
                        version = value;
                    } else if (key.equals("q")) {
                        try {
                            q = Double.parseDouble(value);
                        } catch (NumberFormatException e) {
                            q = 0;
                        }
                    }
                }
                if (q > 0 && (version == null || version.equals("1.0.0") || version.equals("0.0.1"))) {
                    return OPENMETRICS;
                }
            }
            return TEXT;
        }
    }

    private enum Type {
        GAUGE("gauge", "gauge", ""),
        COUNTER("counter", "counter", "_total"),
        SUMMARY("summary", "summary", ""),
        INFO("gauge", "info", "_info");

        final String textType;
        final String openMetricsType;
        /** What the text format adds to the family's name, in its TYPE line and its samples. */
        final String suffix;

        Type(String textType, String openMetricsType, String suffix) {
            this.textType = textType;
            this.openMetricsType = openMetricsType;
            this.suffix = suffix;
        }
    }

    private final Map<String, Family> families = new TreeMap<>();

    /** A gauge family; {@code unit} ({@code seconds}, {@code ratio}, ...) ends its name, or is null. */
    Family gauge(String name, String help, String unit) {
        return family(name, Type.GAUGE, help, unit);
    }

    /** A counter family, named without {@code _total}, which its samples carry. */
    Family counter(String name, String help) {
        return family(name, Type.COUNTER, help, null);
    }

    /** A summary family with the {@link #QUANTILES}; {@code unit} ends its name, or is null. */
    Family summary(String name, String help, String unit) {
        return family(name, Type.SUMMARY, help, unit);
    }

    /** An info family, named without {@code _info}: samples of value 1 whose labels are the information. */
    Family info(String name, String help) {
        return family(name, Type.INFO, help, null);
    }

    private Family family(String name, Type type, String help, String unit) {
        Family f = families.computeIfAbsent(name, n -> new Family(n, type, help, unit));
        if (f.type != type) {
            throw new IllegalArgumentException(name + " is a " + f.type + ", not a " + type);
        }
        return f;
    }

    /** One metric family and its samples. */
    static final class Family {
        private final String name;
        private final Type type;
        private final String help;
        private final String unit;
        private final List<Point> points = new ArrayList<>();

        private Family(String name, Type type, String help, String unit) {
            this.name = name;
            this.type = type;
            this.help = help;
            this.unit = unit;
        }

        /** A gauge's or counter's sample; labels are name, value pairs. */
        Family sample(double value, String... labels) {
            if (type == Type.SUMMARY || type == Type.INFO) {
                throw new IllegalStateException(name + " is a " + type + ": use summary(...) or info(...)");
            }
            points.add(new Point(sorted(labels), value, 0, null));
            return this;
        }

        /** An info sample (value 1). */
        Family info(String... labels) {
            if (type != Type.INFO) {
                throw new IllegalStateException(name + " is not an info family");
            }
            points.add(new Point(sorted(labels), 1, 0, null));
            return this;
        }

        /** A summary's sample: count, sum and one value per {@link #QUANTILES} entry. */
        Family summary(long count, double sum, double[] quantiles, String... labels) {
            if (type != Type.SUMMARY) {
                throw new IllegalStateException(name + " is not a summary");
            }
            if (quantiles.length != QUANTILES.length) {
                throw new IllegalArgumentException("a summary has " + QUANTILES.length + " quantiles");
            }
            points.add(new Point(sorted(labels), sum, count, quantiles.clone()));
            return this;
        }
    }

    /** Labels as sorted name, value pairs; for a summary {@code value} is the sum. */
    private record Point(String[] labels, double value, long count, double[] quantiles) {
    }

    /** The library's order: by label names, then by how many labels, then by values. */
    private static final Comparator<Point> BY_LABELS = (a, b) -> {
        int n = Math.min(a.labels.length, b.labels.length);
        for (int i = 0; i < n; i += 2) {
            int c = a.labels[i].compareTo(b.labels[i]);
            if (c != 0) {
                return c;
            }
        }
        if (a.labels.length != b.labels.length) {
            return Integer.compare(a.labels.length, b.labels.length);
        }
        for (int i = 1; i < n; i += 2) {
            int c = a.labels[i].compareTo(b.labels[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private static String[] sorted(String[] labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs: " + Arrays.toString(labels));
        }
        if (labels.length <= 2) {
            return labels.clone();
        }
        Integer[] order = new Integer[labels.length / 2];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> labels[2 * i]));
        String[] out = new String[labels.length];
        for (int i = 0; i < order.length; i++) {
            out[2 * i] = labels[2 * order[i]];
            out[2 * i + 1] = labels[2 * order[i] + 1];
        }
        return out;
    }

    /** The families, in {@code format}, UTF-8. */
    byte[] render(Format format) {
        StringBuilder out = new StringBuilder(8192);
        boolean open = format == Format.OPENMETRICS;
        for (Family f : families.values()) {
            if (f.points.isEmpty()) {
                continue;
            }
            if (open) {
                out.append("# TYPE ").append(f.name).append(' ').append(f.type.openMetricsType).append('\n');
                if (f.unit != null) {
                    out.append("# UNIT ").append(f.name).append(' ').append(f.unit).append('\n');
                }
                out.append("# HELP ").append(f.name).append(' ');
                escape(out, f.help, true);
                out.append('\n');
            } else {
                String named = f.name + f.type.suffix;
                out.append("# HELP ").append(named).append(' ');
                escape(out, f.help, false);
                out.append('\n');
                out.append("# TYPE ").append(named).append(' ').append(f.type.textType).append('\n');
            }
            f.points.sort(BY_LABELS);
            for (Point p : f.points) {
                if (f.type == Type.SUMMARY) {
                    for (int i = 0; i < QUANTILES.length; i++) {
                        sample(out, f.name, "", p.labels, "quantile", Double.toString(QUANTILES[i]));
                        number(out, p.quantiles[i]);
                    }
                    sample(out, f.name, "_count", p.labels, null, null);
                    out.append(p.count).append('\n');
                    if (!Double.isNaN(p.value)) { // the library's "no sum"
                        sample(out, f.name, "_sum", p.labels, null, null);
                        number(out, p.value);
                    }
                } else {
                    sample(out, f.name, f.type.suffix, p.labels, null, null);
                    if (f.type == Type.INFO) {
                        out.append('1').append('\n');
                    } else {
                        number(out, p.value);
                    }
                }
            }
        }
        if (open) {
            out.append("# EOF\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code name+suffix{labels,extra="value"} }, up to the value. */
    private static void sample(StringBuilder out, String name, String suffix, String[] labels, String extra,
                               String extraValue) {
        out.append(name).append(suffix);
        if (labels.length > 0 || extra != null) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(out, labels[i + 1], true);
                out.append('"');
            }
            if (extra != null) {
                if (labels.length > 0) {
                    out.append(',');
                }
                out.append(extra).append("=\"").append(extraValue).append('"');
            }
            out.append('}');
        }
        out.append(' ');
    }

    private static void number(StringBuilder out, double v) {
        if (v == Double.POSITIVE_INFINITY) {
            out.append("+Inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            out.append("-Inf");
        } else {
            out.append(v); // as Double.toString: NaN, 1.0, 2.5E-7
        }
        out.append('\n');
    }

    /** Backslash and newline always; the double quote in label values, and in OpenMetrics' HELP too. */
    private static void escape(StringBuilder out, String s, boolean quote) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }
}
