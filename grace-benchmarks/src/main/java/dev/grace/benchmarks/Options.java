package dev.grace.benchmarks;

import java.time.Duration;
import java.util.Locale;

/**
 * Reading the benchmark mains' command-line values, with one message per mistake that names the
 * option and what it takes. Shared by {@link EndToEndOptions} and {@link CognitionOptions}.
 */
final class Options {

    private Options() {
    }

    /** The value after option {@code args[i - 1]}. */
    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value; --help lists the options");
        }
        return args[i];
    }

    static int whole(String option, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max
                + ", got '" + text + "'");
    }

    static double decimal(String option, String text, double min, double max) {
        try {
            double d = Double.parseDouble(text);
            if (d >= min && d <= max) { // false for NaN
                return d;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(option + " must be a number from " + num(min) + " to " + num(max)
                + ", got '" + text + "'");
    }

    /** Seconds from 0.1 to a day, as a duration. */
    static Duration seconds(String option, String text) {
        return Duration.ofMillis(Math.round(decimal(option, text, 0.1, 86_400) * 1000));
    }

    /** Seconds from 0 to an hour, as a duration: a warm-up, which may be left out. */
    static Duration warmup(String option, String text) {
        return Duration.ofMillis(Math.round(decimal(option, text, 0, 3600) * 1000));
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : Double.toString(d);
    }
}
