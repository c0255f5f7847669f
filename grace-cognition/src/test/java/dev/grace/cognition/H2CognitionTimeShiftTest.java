package dev.grace.cognition;

import java.time.Duration;
import org.junit.jupiter.api.Nested;

/**
 * The cognition contract with its fixed instants ten years ahead and ten years back, so a scoring,
 * catch-up or "since" path that reads the system clock instead of the runtime's fails at once (see
 * {@code H2StoreTimeShiftTest} for the store's).
 */
class H2CognitionTimeShiftTest {

    /** 522 weeks: about ten years, in whole weeks so weekdays and hours of day stay as they were. */
    static final Duration DECADE = Duration.ofDays(7 * 522);

    @Nested
    class TenYearsAhead extends H2CognitionTest {
        @Override
        Duration shift() {
            return DECADE;
        }
    }

    @Nested
    class TenYearsBack extends H2CognitionTest {
        @Override
        Duration shift() {
            return DECADE.negated();
        }
    }
}
