package dev.grace.runtime.internal;

/**
 * Strings from plugins and clients (a KPI name posted over HTTP, a plugin id, a metadata key, an
 * exception's message) made safe to put in a log line: every control character, and the Unicode
 * line and paragraph separators, is written as an escape ({@code \n}, {@code \r}, {@code \t},
 * {@code &#92;u001b}), so such a string can end no line and forge none. A string with nothing to escape
 * is returned as it is, without allocating.
 */
public final class LogText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /** The string with its control characters escaped; "null" for null. */
    public static String escape(Object value) {
        String s = String.valueOf(value);
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        // a backslash too, so an escaped line break can never be confused with text that spells one
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\\';
    }
}
