package dev.grace.runtime;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.store.SeriesGroups;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesGroupsTest {

    private static final long HOUR = 3_600_000L;

    private static HourlyRollup rollup(String series, long hour, double... values) {
        DDSketch sketch = Sketches.newSketch();
        double sum = 0;
        double squares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sketch.accept(v);
            sum += v;
            squares += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return HourlyRollup.of("federation", "latency", series, hour * HOUR, values.length, sum, min, max, squares,
                sketch);
    }

    @Test
    void mergesTheSeriesThatShareTheKeysValuePerHourAndLeavesOutTheRest() {
        List<HourlyRollup> grouped = SeriesGroups.by("connector", List.of(
                rollup("connector=crm,region=eu", 1, 1, 2),
                rollup("connector=crm,region=us", 1, 4),
                rollup("connector=billing", 1, 8),
                rollup("connector=crm,region=eu", 2, 16),
                rollup("region=eu", 1, 32),
                rollup("", 1, 1, 2, 4, 8, 32),
                rollup("_overflow", 1, 64)));

        assertThat(grouped).extracting(r -> r.hourStart().toEpochMilli() / HOUR + " " + r.series() + " " + r.count()
                        + " " + r.sum() + " " + r.min() + " " + r.max())
                .containsExactly(
                        "1 _overflow 1 64.0 64.0 64.0",
                        "1 connector=billing 1 8.0 8.0 8.0",
                        "1 connector=crm 3 7.0 1.0 4.0",
                        "2 connector=crm 1 16.0 16.0 16.0");
        HourlyRollup crm = grouped.get(2);
        assertThat(crm.sumOfSquares()).isEqualTo(21.0);
        assertThat(crm.quantile(1.0)).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.04));
    }

    @Test
    void aKeyNoSeriesCarriesGivesNothing() {
        assertThat(SeriesGroups.by("model", List.of(rollup("connector=crm", 1, 1)))).isEmpty();
        assertThat(SeriesGroups.groupOf("connector", "connector=a\\,b,region=eu")).isEqualTo("connector=a\\,b");
    }
}
