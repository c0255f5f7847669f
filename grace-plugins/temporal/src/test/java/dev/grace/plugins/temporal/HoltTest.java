package dev.grace.plugins.temporal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HoltTest {

    @Test
    void aStraightLineIsForecastExactlyWhateverTheConstants() {
        double[] line = {5, 7, 9, 11, 13, 15};
        Holt fitted = Holt.fit(line);
        assertThat(fitted.sse()).isZero();
        assertThat(fitted.forecast(1)).isCloseTo(17, within(1e-9));
        assertThat(fitted.forecast(3)).isCloseTo(21, within(1e-9));
        assertThat(Holt.smooth(line, 0.2, 0.7).forecast(2)).isCloseTo(19, within(1e-9));
    }

    @Test
    void smoothingFollowsTheRecurrencesWorkedByHand() {
        // l0 = 10, b0 = 2; t=1: predicted 12, l1 = 12, b1 = 2; t=2: predicted 14, error 1, l2 = 14.5, b2 = 2.25
        Holt h = Holt.smooth(new double[] {10, 12, 15}, 0.5, 0.5);
        assertThat(h.level()).isCloseTo(14.5, within(1e-12));
        assertThat(h.trend()).isCloseTo(2.25, within(1e-12));
        assertThat(h.sse()).isCloseTo(1.0, within(1e-12));
        assertThat(h.forecast(1)).isCloseTo(16.75, within(1e-12));
    }

    @Test
    void fittingChoosesTheConstantsWithTheSmallestOneStepError() {
        double[] noisy = {100, 104, 103, 109, 111, 110, 118, 119, 121, 127};
        Holt best = Holt.fit(noisy);
        for (double a = 0.05; a < 0.99; a += 0.05) {
            for (double b = 0.05; b < 0.99; b += 0.05) {
                assertThat(best.sse()).isLessThanOrEqualTo(Holt.smooth(noisy, a, b).sse() + 1e-9);
            }
        }
        assertThat(best.sse()).isLessThan(Holt.smooth(noisy, 0.95, 0.95).sse());
        // the series rises about 3 a step; the next value is forecast within a few percent of 130
        assertThat(best.forecast(1)).isBetween(124.0, 134.0);
    }

    @Test
    void refusesTooShortSeriesAndConstantsOutsideTheOpenInterval() {
        assertThatThrownBy(() -> Holt.fit(new double[] {1, 2}))
                .hasMessage("fitting Holt's method needs at least 3 values, got 2");
        assertThatThrownBy(() -> Holt.smooth(new double[] {1, 2, 3}, 1.0, 0.5))
                .hasMessage("Holt's smoothing constants must be in (0, 1), got alpha 1.0 and beta 0.5");
        assertThatThrownBy(() -> Holt.smooth(new double[] {1, 2, 3}, 0.5, 0.5).forecast(0))
                .hasMessage("a forecast is at least 1 step ahead, got 0");
    }
}
