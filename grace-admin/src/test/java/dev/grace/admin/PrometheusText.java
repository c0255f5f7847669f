package dev.grace.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests of {@code /metrics} that
 * run without Python; {@link PrometheusParser} runs the Prometheus project's own Python parser where
 * it is installed. This follows the Go parsers' rules (expfmt, promtool) and fails on anything they reject: a malformed line, a TYPE after the family's first
 * sample or given twice, a family whose samples are not together, an unknown type, a bad escape.
 */
final class PrometheusText {

    /** One metric family: its TYPE ("untyped" when none was given) and its samples in order. */
    record Family(String name, String type, List<Sample> samples) {
    }

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")(?: .*)?");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: (-?\\d+))?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"\\s*(,|$)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|\\.\\d+(?:[eE][-+]?\\d+)?|Inf|NaN)");

    private PrometheusText() {
    }

    /** Every family by name; throws {@link IllegalArgumentException} naming the first bad line. */
    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        String current = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher type = TYPE.matcher(line);
                if (type.matches()) {
                    String name = type.group(1);
                    require(!types.containsKey(name) && !families.containsKey(name), n, "TYPE for " + name + " given twice or after its samples", line);
                    types.put(name, type.group(2));
                } else if (line.startsWith("# TYPE") || line.startsWith("# HELP") && !HELP.matcher(line).matches()) {
                    throw bad(n, "malformed TYPE or HELP", line);
                }
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            require(s.matches(), n, "not a sample", line);
            String name = s.group(1);
            String family = familyOf(name, types);
            require(FLOAT.matcher(s.group(3)).matches(), n, "value is not a float", line);
            Family f = families.get(family);
            if (f == null) {
                f = new Family(family, types.getOrDefault(family, "untyped"), new ArrayList<>());
                families.put(family, f);
            } else {
                require(family.equals(current), n, "samples of " + family + " are not together", line);
            }
            current = family;
            f.samples().add(new Sample(name, labels(s.group(2), n, line), Double.parseDouble(
                    s.group(3).replace("Inf", "Infinity"))));
        }
        return families;
    }

    /** A histogram's or summary's _bucket, _sum and _count samples belong to its family. */
    private static String familyOf(String name, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type)) {
                    return base;
                }
            }
        }
        return name;
    }

    private static Map<String, String> labels(String body, int n, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            return labels;
        }
        Matcher m = LABEL.matcher(body);
        int at = 0;
        while (at < body.length()) {
            require(m.find(at) && m.start() == at, n, "malformed labels", line);
            String value = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
            require(labels.put(m.group(1), value) == null, n, "label " + m.group(1) + " given twice", line);
            at = m.end();
        }
        return labels;
    }

    private static void require(boolean ok, int n, String what, String line) {
        if (!ok) {
            throw bad(n, what, line);
        }
    }

    private static IllegalArgumentException bad(int n, String what, String line) {
        return new IllegalArgumentException("line " + n + ": " + what + ": " + line);
    }
}
