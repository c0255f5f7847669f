package dev.grace.store.internal;

import java.util.Map;

/**
 * The {@code metadata} column's JSON of a raw event's map, written into one reused builder instead of
 * through Jackson's {@code writeValueAsString} (a writer, a generator and buffers per row on the
 * raw-event path). The text is what Jackson's default {@code ObjectMapper} writes for a
 * {@code Map<String, String>}, byte for byte, so rows stored before and after read the same: entries
 * in the map's order, {@code "} and {@code \} escaped with a backslash, {@code \b \t \n \f \r} by their
 * short forms, every other character below U+0020 as {@code \}{@code u00XX} (upper-case hex), anything
 * else as it is. Not thread-safe: one per writer.
 */
final class MetadataJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder out = new StringBuilder(256);

    /** The JSON of {@code metadata}, valid until the next call; null for none (null or empty). */
    CharSequence of(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        out.setLength(0);
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(e.getKey());
            out.append(':');
            string(e.getValue());
        }
        return out.append('}');
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                out.append(c);
                continue;
            }
            out.append('\\');
            switch (c) {
                case '"', '\\' -> out.append(c);
                case '\b' -> out.append('b');
                case '\t' -> out.append('t');
                case '\n' -> out.append('n');
                case '\f' -> out.append('f');
                case '\r' -> out.append('r');
                default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append('"');
    }
}
