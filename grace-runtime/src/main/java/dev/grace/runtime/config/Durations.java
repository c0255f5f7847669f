package dev.grace.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, or ISO-8601 {@code PT30S}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming the accepted forms and what was found
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("expected a duration such as 30s, 2h or PT2H, got nothing");
        }
        String t = text.strip();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException tooLong) {
                throw new IllegalArgumentException("duration \"" + text + "\" is too large");
            }
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "expected a duration such as 500ms, 30s, 5m, 2h, 7d or PT2H, got \"" + text + "\"");
        }
    }
}
