package dev.grace.admin.internal;

/**
 * Text from a request, made safe to log: control characters (a line break that would forge a log
 * line, an escape sequence that would repaint a terminal) are written as {@code \n}, {@code \r},
 * {@code \t} or {@code \\uXXXX}, and a backslash as {@code \\}, so the original can be read back.
 */
final class LogText {

    private LogText() {
    }

    static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\\' -> "\\\\";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
