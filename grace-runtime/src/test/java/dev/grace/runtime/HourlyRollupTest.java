package dev.grace.runtime;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.runtime.internal.rollup.Sketches;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HourlyRollupTest {

    private static HourlyRollup of(long hour, double... values) {
        DDSketch sketch = Sketches.newSketch();
        double sum = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sketch.accept(v);
            sum += v;
            sq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return HourlyRollup.of("ml", "latency", hour, values.length, sum, min, max, sq, sketch);
    }

    @Test
    void quantilesAreWithinOnePercentAndNeverOutsideTheObservedRange() {
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        HourlyRollup r = of(0, values);
        assertThat(r.quantile(0.5)).isCloseTo(500, within(5.0));
        assertThat(r.quantile(0.99)).isCloseTo(990, within(9.9));
        assertThat(of(0, 26335, 26335).quantile(0.95)).isEqualTo(26335);
        assertThat(r.quantile(1.0)).isLessThanOrEqualTo(1000);
        assertThat(r.quantile(0.0)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void quantilesUseTheNearestRankSoTheP95OfTwoValuesIsTheLarger() {
        assertThat(of(0, 0.01, 0.086).quantile(0.95)).isCloseTo(0.086, within(0.086 * 0.01));
        assertThat(of(0, 0.01, 0.086).quantile(0.5)).isCloseTo(0.01, within(0.0001));
        assertThat(of(0, 1, 2, 3, 4).quantile(0.75)).isCloseTo(3, within(0.03));
        assertThat(of(0, 7).quantile(0.95)).isEqualTo(7);
    }

    @Test
    void mergingIsExactForCountSumMinMaxAndStddev() {
        HourlyRollup a = of(3_600_000, 1, 2, 3);
        HourlyRollup b = of(3_600_000, 10, 20);
        HourlyRollup m = a.merge(b);
        assertThat(m.count()).isEqualTo(5);
        assertThat(m.sum()).isEqualTo(36);
        assertThat(m.min()).isEqualTo(1);
        assertThat(m.max()).isEqualTo(20);
        assertThat(m.mean()).isEqualTo(7.2);
        assertThat(m.stddev()).isCloseTo(of(3_600_000, 1, 2, 3, 10, 20).stddev(), within(1e-12));
        assertThat(m.quantile(0.5)).isCloseTo(3, within(0.03));
    }

    @Test
    void identicalValuesHaveAStddevOfExactlyZero() {
        assertThat(of(0, 0.9333333333333333, 0.9333333333333333, 0.9333333333333333).stddev()).isZero();
    }

    @Test
    void rollupsOfDifferentHoursDoNotMerge() {
        assertThatThrownBy(() -> of(0, 1).merge(of(3_600_000, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyRollupHasNoMeanOrQuantile() {
        HourlyRollup empty = of(0);
        assertThat(empty.mean()).isNaN();
        assertThat(empty.stddev()).isNaN();
        assertThat(empty.quantile(0.5)).isNaN();
    }
}
