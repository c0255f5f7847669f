package dev.grace.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void shortFormsReadEveryUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse(" 0s ")).isEqualTo(Duration.ZERO);
    }

    @Test
    void isoFormIsReadToo() {
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("pt2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("P1DT12H")).isEqualTo(Duration.ofHours(36));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "", "30", "30 s", "1.5h", "-5m", "5M", "2hours", "P", "99999999999999999d"})
    void anythingElseIsRejectedWithTheExpectedForm(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a duration such as 30s, 2h or PT2H, got \"" + text + "\"");
    }

    @Test
    void nullIsRejectedAsNothing() {
        assertThatThrownBy(() -> Durations.parse(null))
                .hasMessage("expected a duration such as 30s, 2h or PT2H, got nothing");
    }

    @Test
    void formatWritesTheLargestWholeUnitAndReadsBack() {
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(61))).isEqualTo("61s");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofNanos(1))).isEqualTo("PT0.000000001S");
        for (Duration d : new Duration[] {Duration.ofHours(2), Duration.ofMillis(1500), Duration.ofNanos(7)}) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
    }
}
