package dev.grace.store;

import java.time.Duration;
import org.junit.jupiter.api.Nested;

/**
 * The guard against date-dependent tests: the whole store contract again, with every fixed
 * instant moved ten years ahead and ten years back. A store path that reads the system clock
 * where it should read the runtime's (retention, lateness, "since" windows) sees an instant a
 * decade away from the test's data and fails here on the day it is written, not weeks later when
 * the real date has drifted past a window (issue 20: {@code verify()} counted its retention from
 * the real now and so compared no hour once the fixed test week was seven days old).
 */
class H2StoreTimeShiftTest {

    /** 522 weeks: about ten years, in whole weeks so a Sunday 22:00 stays a Sunday 22:00. */
    static final Duration DECADE = Duration.ofDays(7 * 522);

    @Nested
    class TenYearsAhead extends H2StoreTest {
        @Override
        Duration shift() {
            return DECADE;
        }
    }

    @Nested
    class TenYearsBack extends H2StoreTest {
        @Override
        Duration shift() {
            return DECADE.negated();
        }
    }
}
