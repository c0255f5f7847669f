package dev.grace.plugins.parliament;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record of decisions: one JSON object per line in {@code decisions.jsonl}, appended as each
 * proposal is decided, and read back at start so that a restarted parliament does not propose
 * again what was decided. Written and read without a JSON library, since a plugin depends on the
 * grace-api alone; only this class's own flat format is read back.
 */
final class Journal {

    private final Path file;

    Journal(Path directory) {
        this.file = directory.resolve("decisions.jsonl");
    }

    Path file() {
        return file;
    }

    /** Appends one decision. */
    void append(Decision d) throws IOException {
        Files.writeString(file, line(d) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * The proposals decided in earlier runs.
     *
     * @throws IOException when a line is not one this class wrote; the message names file and line
     */
    List<Proposal> decided() throws IOException {
        List<Proposal> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                Map<String, Object> m = new Flat(lines.get(i)).object();
                out.add(new Proposal(Proposal.Kind.valueOf((String) m.get("kind")), (String) m.get("target"),
                        number(m.get("threshold")), number(m.get("from")), (String) m.get("reason"),
                        (String) m.get("origin")));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + (i + 1) + ": not a decision record (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    private static double number(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    static String line(Decision d) {
        Proposal p = d.proposal();
        StringBuilder b = new StringBuilder("{");
        field(b, "key", p.key());
        field(b, "kind", p.kind().name());
        field(b, "target", p.target());
        b.append("\"threshold\":").append(num(p.threshold())).append(',');
        b.append("\"from\":").append(num(p.from())).append(',');
        field(b, "reason", p.reason());
        field(b, "origin", p.origin());
        field(b, "proposedAt", d.proposedAt().toString());
        field(b, "decidedAt", d.decidedAt().toString());
        b.append("\"votes\":{");
        String sep = "";
        for (Map.Entry<String, Vote> v : new TreeMap<>(d.votes()).entrySet()) {
            b.append(sep).append(quote(v.getKey())).append(':').append(quote(v.getValue().name()));
            sep = ",";
        }
        b.append("},\"voters\":").append(d.voters()).append(',');
        b.append("\"participation\":").append(d.participation()).append(',');
        field(b, "outcome", d.outcome().name());
        b.append("\"enacted\":").append(d.enacted()).append('}');
        return b.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(quote(name)).append(':').append(quote(value)).append(',');
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Reads the JSON objects {@link #line} writes: strings, numbers, booleans, null and nested objects. */
    private static final class Flat {
        private final String s;
        private int i;

        Flat(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            Map<String, Object> m = new TreeMap<>();
            expect('{');
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                String k = string();
                expect(':');
                m.put(k, value());
                char c = next();
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or } at column " + i);
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '{') {
                return object();
            }
            int start = i;
            while (i < s.length() && ",}".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String word = s.substring(start, i).strip();
            return switch (word) {
                case "null" -> null;
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> Double.parseDouble(word);
            };
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = next();
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c + " at column " + i);
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end at column " + i);
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }
    }
}
