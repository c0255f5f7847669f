package dev.grace.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax Grace accepts wherever a person writes a duration: in the config file, in
 * {@code GRACE_*} variables, in flags such as {@code grace run --for}, and in plugin configuration.
 *
 * <p>Either a whole number with a unit — {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 7d} — or ISO-8601 as read by {@link Duration#parse(CharSequence)}, such as {@code PT30S} or
 * {@code P1DT12H}. Negative durations are not accepted in the short form; whether zero makes sense
 * is up to the caller.
 */
public final class Durations {

    /** What a person should write, for error messages: {@code a duration such as 30s, 2h or PT2H}. */
    public static final String EXPECTED = "a duration such as 30s, 2h or PT2H";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT30S}).
     * Surrounding whitespace is ignored; units are lower case.
     *
     * @throws IllegalArgumentException with the message
     *         {@code expected a duration such as 30s, 2h or PT2H, got "soon"}
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw invalid(null);
        }
        String s = text.strip();
        Matcher m = SHORT.matcher(s);
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> throw new AssertionError(m.group(2));
                };
            }
            if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
                return Duration.parse(s);
            }
        } catch (ArithmeticException | DateTimeParseException e) {
            throw invalid(text);
        }
        throw invalid(text);
    }

    /**
     * Writes a duration in the short form when it is a whole number of one unit ({@code 90m},
     * {@code 2h}, {@code 1500ms}), in ISO-8601 otherwise, so that {@code parse(format(d))} equals d.
     */
    public static String format(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        if (d.isZero()) {
            return "0s";
        }
        if (d.getNano() != 0) {
            return d.toMillis() + "ms";
        }
        long seconds = d.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("expected " + EXPECTED + ", got "
                + (text == null ? "nothing" : "\"" + text + "\""));
    }
}
