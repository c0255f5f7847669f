package dev.grace.runtime.internal.discovery;

/**
 * A Maven-style version range: {@code [1.0,2.0)}, {@code (,1.5]}, {@code [1.2]} (exactly), or a bare
 * {@code 1.2} meaning "1.2 or later". Versions compare by their numeric segments; a qualifier such as
 * {@code -SNAPSHOT} on the version checked is ignored, so {@code 0.1.0-SNAPSHOT} is inside {@code [0.1,1)}.
 * A range's own bounds are numeric segments only: {@code 0.1-1} is refused rather than read as "0.1 or
 * later".
 */
public record VersionRange(String text, int[] lower, boolean lowerInclusive, int[] upper, boolean upperInclusive) {

    /**
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static VersionRange parse(String text) {
        String t = text.strip();
        try {
            if (!t.startsWith("[") && !t.startsWith("(")) {
                return new VersionRange(text, bound(t), true, null, false);
            }
            boolean lowerInclusive = t.charAt(0) == '[';
            char last = t.charAt(t.length() - 1);
            if (last != ']' && last != ')') {
                throw new IllegalArgumentException();
            }
            boolean upperInclusive = last == ']';
            String body = t.substring(1, t.length() - 1);
            int comma = body.indexOf(',');
            if (comma < 0) {
                int[] exact = bound(body);
                if (!lowerInclusive || !upperInclusive) {
                    throw new IllegalArgumentException();
                }
                return new VersionRange(text, exact, true, exact, true);
            }
            String lo = body.substring(0, comma).strip();
            String hi = body.substring(comma + 1).strip();
            return new VersionRange(text, lo.isEmpty() ? null : bound(lo), lowerInclusive,
                    hi.isEmpty() ? null : bound(hi), upperInclusive);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("version range \"" + text
                    + "\" is not of the form [1.0,2.0), (,1.5], [1.2] or 1.2");
        }
    }

    /** Whether {@code version} is inside this range. */
    public boolean contains(String version) {
        int[] v = segments(version);
        if (lower != null) {
            int c = compare(v, lower);
            if (c < 0 || (c == 0 && !lowerInclusive)) {
                return false;
            }
        }
        if (upper != null) {
            int c = compare(v, upper);
            return c < 0 || (c == 0 && upperInclusive);
        }
        return true;
    }

    /** A range's bound: digits separated by dots, nothing else. */
    private static int[] bound(String text) {
        if (!text.strip().matches("\\d{1,9}(\\.\\d{1,9})*")) {
            throw new IllegalArgumentException(text);
        }
        return segments(text);
    }

    static int[] segments(String version) {
        String core = version.strip();
        int dash = core.indexOf('-');
        if (dash >= 0) {
            core = core.substring(0, dash);
        }
        String[] parts = core.split("\\.");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
            if (out[i] < 0) {
                throw new NumberFormatException(version);
            }
        }
        return out;
    }

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
