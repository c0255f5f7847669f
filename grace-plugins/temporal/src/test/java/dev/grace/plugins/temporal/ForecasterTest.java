package dev.grace.plugins.temporal;

import dev.grace.testkit.PluginHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.List;
import java.util.ArrayList;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The forecaster against the real runtime's hourly rollups of values a test plugin publishes. */
class ForecasterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final SeriesPlugin series = new SeriesPlugin();
    private PluginHarness h;

    @BeforeEach
    void start() {
        h = PluginHarness.forPlugin(series).dataDirectory(dir.resolve("data")).start();
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Forecaster forecaster() {
        return forecaster(Duration.ofHours(48));
    }

    private Forecaster forecaster(Duration history) {
        return new Forecaster(series.context.runtime(), h.clock(), new PendingForecasts(dir.resolve("pending.tsv")),
                history, 3, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** One value of load per hour, each published at the hour's start, then the hour closed. */
    private void hours(double... loads) {
        for (double v : loads) {
            series.publish(SeriesPlugin.LOAD, v);
            h.advance(Duration.ofHours(1));
        }
    }

    @Test
    void forecastsTheOpenHourFromThreeClosedHoursAndScoresItWhenItCloses() throws Exception {
        Forecaster f = forecaster();
        hours(10, 12, 14);
        Forecaster.Round made = f.run();
        assertThat(made.made()).isEqualTo(1);
        assertThat(made.forOpenHour()).isEqualTo(1);
        assertThat(made.completeness()).hasValue(0.5);     // load has three hours, share none
        assertThat(Files.readString(dir.resolve("pending.tsv")))
                .isEqualTo("series\tload\t" + T0.plusSeconds(3 * 3600).toEpochMilli() + "\t"
                        + T0.plusSeconds(3 * 3600).toEpochMilli() + "\t16.0\n");
        assertThat(f.run().made()).as("one forecast per KPI and hour").isZero();

        hours(20);                                 // the hour forecast as 16 turns out 20
        h.advance(Duration.ofSeconds(30));
        Forecaster.Round scored = f.run();
        assertThat(scored.scored()).singleElement().satisfies(s -> {
            assertThat(s.forecast().predicted()).isEqualTo(16.0);
            assertThat(s.actual()).isEqualTo(20.0);
        });
        assertThat(scored.accuracy().getAsDouble()).isCloseTo(1 - 4.0 / 20, within(1e-12));
        assertThat(scored.latencies()).containsExactly(30.0);
        assertThat(scored.made()).as("hour 4 forecast from hours 0..3").isEqualTo(1);
    }

    /** Publishes {@code v} for one hour, then runs a round: the skill of what it scored. */
    private OptionalDouble step(Forecaster f, double v) {
        hours(v);
        return f.run().skill();
    }

    @Test
    void skillIsHighOnATrendFallsWhenTheSeriesTurnsToNoiseAndRecoversWhenItFollowsATrendAgain() {
        Forecaster f = forecaster(Duration.ofHours(12)); // the noise leaves the history 12 hours after it stops
        hours(10, 12, 14);
        f.run();
        List<Double> trend = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            step(f, 16 + 2 * i).ifPresent(trend::add);
        }
        Random noise = new Random(7); // seeded: the same noise every run
        List<Double> noisy = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            step(f, 30 + 15 * noise.nextGaussian()).ifPresent(noisy::add);
        }
        List<Double> again = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            step(f, 40 + 3 * i).ifPresent(again::add);
        }
        double onTrend = trend.stream().mapToDouble(d -> d).average().orElseThrow();
        double onNoise = noisy.stream().mapToDouble(d -> d).average().orElseThrow();
        double recovered = again.subList(again.size() - 4, again.size()).stream().mapToDouble(d -> d).average()
                .orElseThrow();
        assertThat(onTrend).as("Holt follows a trend the naive forecast lags").isGreaterThan(0.9);
        assertThat(onNoise).as("noise: no better than the last hour").isLessThan(0.6);
        assertThat(recovered).isGreaterThan(0.8);
    }

    @Test
    void aConstantSeriesGivesNoSkillFigureAndSkillIsOneOverOnePlusMase() {
        Forecaster f = forecaster();
        hours(5, 5, 5);
        f.run();
        assertThat(step(f, 5)).as("nothing moved: no figure, not a perfect one").isEmpty();
        Forecast a = new Forecast("d", "k", T0, 12, T0);
        Forecaster.Round r = new Forecaster.Round(List.of(new Forecaster.Score(a, 10, 0, 14.0),
                new Forecaster.Score(a, 10, 0, null)), 0, 0, T0, 0, 1, 1, 0);
        // model error 2, naive error 4: MASE 0.5, skill 1 / 1.5; the score without a naive forecast is left out
        assertThat(r.skill().getAsDouble()).isCloseTo(1 / 1.5, within(1e-12));
    }

    @Test
    void theMeanOfAnHourIsWhatIsScoredAndAZeroActualIsLeftOutOfTheError() {
        Forecaster f = forecaster();
        for (int hour = 0; hour < 3; hour++) {
            series.publish(SeriesPlugin.SHARE, 0.5);
            series.publish(SeriesPlugin.LOAD, 3);
            h.advance(Duration.ofHours(1));
        }
        assertThat(f.run().made()).isEqualTo(2);    // share 0.5 and load 3, flat
        series.publish(SeriesPlugin.SHARE, 0.2);
        series.publish(SeriesPlugin.SHARE, 0.4);   // mean 0.3
        series.publish(SeriesPlugin.LOAD, 0);
        h.advance(Duration.ofHours(1));
        Forecaster.Round r = f.run();
        assertThat(r.scored()).hasSize(2);
        assertThat(r.accuracy().getAsDouble()).as("only share counts: |0.5 - 0.3| / 0.3")
                .isCloseTo(1 - 0.2 / 0.3, within(1e-9));
        assertThat(r.latencies()).containsExactly(0.0);
    }

    @Test
    void waitsWhileTheRuntimeHasNotClosedThePreviousHour() {
        Forecaster f = forecaster();
        hours(1, 2);
        series.publish(SeriesPlugin.LOAD, 3);
        h.clock().set(T0.plusSeconds(3 * 3600 + 5));     // the clock passed the hour, the runtime did not turn yet
        Forecaster.Round early = f.run();
        assertThat(early.waiting()).isEqualTo(1);
        assertThat(early.made()).isZero();
        assertThat(early.completeness()).isEmpty();
        h.runtime().turnHour();
        Forecaster.Round later = f.run();
        assertThat(later.made()).isEqualTo(1);
        assertThat(later.completeness()).hasValue(0.5);
    }

    @Test
    void aRestartedForecasterScoresWhatTheEarlierOneForecast() {
        hours(10, 20, 30);
        assertThat(forecaster().run().made()).isEqualTo(1);
        hours(45);
        Forecaster.Round r = forecaster().run();
        assertThat(r.scored()).singleElement().satisfies(s -> assertThat(s.forecast().predicted()).isEqualTo(40.0));
        assertThat(r.accuracy().getAsDouble()).isCloseTo(1 - 5.0 / 45, within(1e-12));
    }

    @Test
    void aForecastWhoseHourHadNoValuesIsDroppedAnHourAfterItsEnd() throws Exception {
        Forecaster f = forecaster();
        hours(1, 2, 3);
        assertThat(f.run().made()).isEqualTo(1);
        h.advance(Duration.ofHours(1));
        Forecaster.Round atEnd = f.run();
        assertThat(atEnd.scored()).isEmpty();
        assertThat(atEnd.expired()).isZero();
        h.advance(Duration.ofHours(1));
        assertThat(f.run().expired()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("pending.tsv")))
                .as("hours 4 and 5 are still pending, hour 3 is gone")
                .doesNotContain("\t" + T0.plusSeconds(3 * 3600).toEpochMilli() + "\t")
                .contains("\t" + T0.plusSeconds(4 * 3600).toEpochMilli() + "\t");
    }

    @Test
    void aForecastOutsideTheKpisRangeIsClamped() {
        Forecaster f = forecaster();
        for (double v : new double[] {0.6, 0.8, 1.0}) {
            series.publish(SeriesPlugin.SHARE, v);
            h.advance(Duration.ofHours(1));
        }
        f.run();
        series.publish(SeriesPlugin.SHARE, 1.0);
        h.advance(Duration.ofHours(1));
        assertThat(f.run().scored()).singleElement()
                .satisfies(s -> assertThat(s.forecast().predicted()).as("1.2 clamped to the ratio's 1").isEqualTo(1.0));
    }

    @Test
    void anUnreadableLineOfThePendingFileIsSkipped() throws Exception {
        Files.writeString(dir.resolve("pending.tsv"), "series\tload\tnot-a-time\t0\t1.0\nseries\tload\t"
                + T0.toEpochMilli() + "\t" + T0.toEpochMilli() + "\t5.0\n");
        PendingForecasts p = new PendingForecasts(dir.resolve("pending.tsv"));
        assertThat(p.all()).extracting(Forecast::predicted).containsExactly(5.0);
    }
}
