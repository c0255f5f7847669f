package dev.grace.cognition.internal;

import dev.grace.runtime.config.CognitionConfig;
import dev.grace.store.internal.CatalogDao;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard's rules on hourly figures, one rule at a time; the runtime path is GuardContract's. */
class GuardTest {

    static final long H = 3_600_000L;
    static final Guard GUARD = new Guard(new CognitionConfig.Guard(true, Duration.ofHours(6), 0));

    static CatalogDao.CatalogKpi kpi(String name, String unit, Double min, Double max, Double target, boolean constantOk) {
        return new CatalogDao.CatalogKpi("d", name, "p", unit, "HIGHER_IS_BETTER", true, target, min, max, constantOk);
    }

    /** Figures of {@code values} in one hour. */
    static CognitionDao.Figures of(double... values) {
        double sum = 0;
        double sq = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : values) {
            sum += v;
            sq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new CognitionDao.Figures(values.length, sum, sq, min, max);
    }

    static List<Guard.Found> check(CatalogDao.CatalogKpi k, SortedMap<Long, CognitionDao.Figures> s) {
        return GUARD.check(List.of(k), Map.of("d", Map.of(k.kpi(), s)));
    }

    static SortedMap<Long, CognitionDao.Figures> hours(int n, java.util.function.IntFunction<CognitionDao.Figures> f) {
        SortedMap<Long, CognitionDao.Figures> s = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            s.put(i * H, f.apply(i));
        }
        return s;
    }

    @Test
    void aMeasuredLookingSeriesRaisesNothing() {
        assertThat(check(kpi("r", "RATIO", 0.0, 1.0, null, false),
                hours(6, i -> of(0.8 + 0.01 * i, 0.82 + 0.01 * i, 0.85)))).isEmpty();
    }

    @Test
    void unitImpossibleFiguresAreFlaggedFromASingleHour() {
        SortedMap<Long, CognitionDao.Figures> ratio = hours(1, i -> of(0.4, 1.2));
        assertThat(check(kpi("r", "RATIO", null, null, null, false), ratio)).singleElement()
                .satisfies(f -> {
                    assertThat(f.flag()).isEqualTo("impossible");
                    assertThat(f.detail()).contains("outside [0, 1]");
                });
        assertThat(check(kpi("t", "SECONDS", null, null, null, false), hours(1, i -> of(-2, 3))))
                .extracting(Guard.Found::detail).singleElement().asString().contains("negative seconds");
        SortedMap<Long, CognitionDao.Figures> broken = new TreeMap<>(Map.of(0L, new CognitionDao.Figures(4, 2, 0.1, 0.5, 0.5)));
        assertThat(check(kpi("r", "RATIO", 0.0, 1.0, null, false), broken)).extracting(Guard.Found::detail)
                .singleElement().asString().contains("negative variance");
        assertThat(check(kpi("s", "SCORE", 0.0, 10.0, null, false), hours(1, i -> of(4, 11))))
                .extracting(Guard.Found::detail).singleElement().asString().contains("outside the declared range");
    }

    @Test
    void tooFewHoursJudgeNothingButImpossibility() {
        assertThat(check(kpi("r", "RATIO", 0.0, 1.0, null, false), hours(2, i -> of(0.9, 0.9)))).isEmpty();
        assertThat(check(kpi("r", "RATIO", 0.0, 1.0, null, false), hours(3, i -> of(0.9, 0.9))))
                .extracting(Guard.Found::flag).containsExactly("constant");
    }

    @Test
    void pinnedToTheTargetInNineHoursOfTenIsPinnedEvenWithOneOtherHour() {
        Guard tenHours = new Guard(new CognitionConfig.Guard(true, Duration.ofHours(10), 0));
        CatalogDao.CatalogKpi k = kpi("n", "COUNT", 0.0, Double.MAX_VALUE, 60.0, false);
        SortedMap<Long, CognitionDao.Figures> s = hours(10, i -> i == 4 ? of(40, 55) : of(60, 60));
        assertThat(tenHours.check(List.of(k), Map.of("d", Map.of("n", s)))).singleElement().satisfies(f -> {
            assertThat(f.flag()).isEqualTo("pinned");
            assertThat(f.detail()).contains("its target", "9 of 10 hours");
        });
    }

    @Test
    void onlyHealthBearingKpisAreJudged() {
        CatalogDao.CatalogKpi info = new CatalogDao.CatalogKpi("d", "c", "p", "RATIO", "HIGHER_IS_BETTER", false, null,
                0.0, 1.0, false);
        assertThat(GUARD.check(List.of(info), Map.of("d", Map.of("c", hours(6, i -> of(0.5)))))).isEmpty();
    }
}
