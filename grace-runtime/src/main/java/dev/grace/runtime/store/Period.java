package dev.grace.runtime.store;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** A rollup period. Periods are UTC; weeks start on Monday (ISO 8601). */
public enum Period {
    HOUR, DAY, WEEK;

    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 24 * HOUR_MILLIS;

    /** The name stored in {@code metrics_rollups.period}: {@code hour}, {@code day} or {@code week}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code hour}, {@code day} or {@code week}, in any case. */
    public static Period parse(String text) {
        for (Period p : values()) {
            if (p.key().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("period must be hour, day or week, got \"" + text + "\"");
    }

    /** The first instant of the period containing {@code millis}, in epoch millis. */
    public long start(long millis) {
        return switch (this) {
            case HOUR -> Math.floorDiv(millis, HOUR_MILLIS) * HOUR_MILLIS;
            case DAY -> Math.floorDiv(millis, DAY_MILLIS) * DAY_MILLIS;
            case WEEK -> LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC)
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                    .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        };
    }

    /** The first instant after the period that starts at {@code start}. */
    public long end(long start) {
        return start + switch (this) {
            case HOUR -> HOUR_MILLIS;
            case DAY -> DAY_MILLIS;
            case WEEK -> 7 * DAY_MILLIS;
        };
    }
}
