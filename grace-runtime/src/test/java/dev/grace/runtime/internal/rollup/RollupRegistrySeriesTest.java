package dev.grace.runtime.internal.rollup;

import dev.grace.api.Kpi;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.extension.HourStates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RollupRegistrySeriesTest {

    private static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).attribute("connector").maxSeries(2)
            .build();
    private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");

    private static Map<String, String> connector(String c) {
        return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("connector", c)));
    }

    @Test
    void theBoundIsSharedByThePluginsOfADomainAndASetAdmittedOnceStaysAdmittedForAll() {
        TestClock clock = new TestClock(NINE);
        RollupRegistry registry = new RollupRegistry(clock, Duration.ofHours(1), 4);
        KpiAccumulator a = registry.register("a", "fed", LATENCY);
        KpiAccumulator b = registry.register("b", "fed", LATENCY);
        KpiAccumulator otherDomain = registry.register("c", "other", LATENCY);

        assertThat(a.series(connector("x")).series()).isEqualTo("connector=x");
        assertThat(b.series(connector("y")).series()).isEqualTo("connector=y");
        assertThat(a.series(connector("z")).isOverflow()).as("third set in the domain").isTrue();
        assertThat(a.series(connector("y")).series()).as("admitted by b, so a gets it too").isEqualTo("connector=y");
        assertThat(otherDomain.series(connector("z")).series()).as("another domain has its own bound").isEqualTo("connector=z");
        assertThat(a.series(connector("x"))).isSameAs(a.series(connector("x")));
        assertThat(a.boundSeries(Map.of("connector", "z"))).as("an overflowed set is remembered").isSameAs(a.overflow());
    }

    @Test
    void changedSinceGivesTotalsAndSeriesUnderTheirOwnKeysAndOnlyWhatChanged() {
        TestClock clock = new TestClock(NINE);
        RollupRegistry registry = new RollupRegistry(clock, Duration.ofHours(1), 4);
        KpiAccumulator a = registry.register("a", "fed", LATENCY);
        KpiAccumulator b = registry.register("b", "fed", LATENCY);
        a.series(connector("x")).addNow(1);
        b.series(connector("x")).addNow(3);
        a.addNow(10);
        b.series(connector("y")).addNow(5);

        Map<String, Long> known = new HashMap<>();
        List<HourlyRollup> changed = registry.changedSince(known);
        Map<String, HourlyRollup> byKey = new HashMap<>();
        changed.forEach(r -> byKey.put(HourStates.key(r), r));
        long nine = NINE.toEpochMilli();
        assertThat(byKey).containsOnlyKeys("fed/latency/" + nine, "fed/latency/" + nine + "/connector=x",
                "fed/latency/" + nine + "/connector=y");
        assertThat(byKey.get("fed/latency/" + nine).count()).isEqualTo(4);
        assertThat(byKey.get("fed/latency/" + nine).sum()).isEqualTo(19);
        assertThat(byKey.get("fed/latency/" + nine + "/connector=x").count()).as("merged across plugins").isEqualTo(2);
        changed.forEach(r -> known.put(HourStates.key(r), r.count()));

        assertThat(registry.changedSince(known)).isEmpty();
        a.series(connector("y")).addNow(7);
        assertThat(registry.changedSince(known)).extracting(HourlyRollup::series)
                .containsExactlyInAnyOrder("", "connector=y");
    }

    @Test
    void seriesTurnAndCloseWithTheirKpiAndKeepTheirPastHours() {
        TestClock clock = new TestClock(NINE);
        RollupRegistry registry = new RollupRegistry(clock, Duration.ZERO, 4);
        KpiAccumulator a = registry.register("a", "fed", LATENCY);
        KpiAccumulator x = a.series(connector("x"));
        x.addNow(1);
        clock.advance(Duration.ofHours(1));
        registry.turn();
        x.addNow(2);
        KpiAccumulator y = a.series(connector("y")); // bound after the turn: starts on the current hour
        y.addNow(3);
        clock.advance(Duration.ofHours(1));
        registry.turn();

        assertThat(registry.rollupsWithSeries()).extracting(r -> r.hourStart() + " " + r.series() + " " + r.count())
                .containsExactly(NINE + "  1", NINE + " connector=x 1",
                        NINE.plusSeconds(3600) + "  2", NINE.plusSeconds(3600) + " connector=x 1",
                        NINE.plusSeconds(3600) + " connector=y 1");
        registry.closeAll();
        assertThat(x.addNow(1)).isFalse();
        assertThat(a.series(connector("late")).addNow(1)).as("a series bound after close is closed").isFalse();
        assertThat(a.series(connector("late")).isOverflow()).isTrue();
        assertThat(registry.acceptedCount("a")).isEqualTo(3);
        assertThat(registry.seriesOverflowCount("a")).isZero();
        assertThat(SeriesKey.isTotal(registry.rollups().get(0).series())).isTrue();
    }

    @Test
    void closedTotalsOutliveTheSeriesClosedHoursAndStayTheSumOfThem() {
        TestClock clock = new TestClock(NINE);
        RollupRegistry registry = new RollupRegistry(clock, Duration.ZERO, 48);
        KpiAccumulator a = registry.register("a", "fed", LATENCY);
        KpiAccumulator x = a.series(connector("x"));
        KpiAccumulator y = a.series(connector("y"));
        int hours = KpiAccumulator.SERIES_KEEP_CLOSED_HOURS + 3;
        for (int h = 0; h < hours; h++) {
            x.addNow(1);
            y.addNow(2);
            y.addNow(4);
            a.addNow(8);
            clock.advance(Duration.ofHours(1));
            registry.turn();
        }
        clock.advance(Duration.ofMinutes(2)); // past the close margin: the last hour closes too
        registry.turn();

        List<HourlyRollup> totals = registry.rollups();
        assertThat(totals).hasSize(hours).allSatisfy(r -> {
            assertThat(r.count()).isEqualTo(4);
            assertThat(r.sum()).isEqualTo(15);
            assertThat(r.min()).isEqualTo(1);
            assertThat(r.max()).isEqualTo(8);
        });
        List<HourlyRollup> series = registry.rollupsWithSeries().stream().filter(r -> !r.isTotal()).toList();
        assertThat(series).as("series keep only their last closed hours").hasSize(2 * KpiAccumulator.SERIES_KEEP_CLOSED_HOURS);
        for (HourlyRollup s : series) {
            HourlyRollup total = registry.hour("fed", "latency", s.hourStart().toEpochMilli());
            assertThat(total.count()).isEqualTo(4);
        }
        assertThat(registry.acceptedCount("fed", "latency")).isEqualTo(4L * hours);
        assertThat(registry.acceptedCount("a")).isEqualTo(4L * hours);
        // a late value cannot reopen a closed hour in a series that trimmed it
        assertThat(x.addAt(NINE.toEpochMilli(), 1)).isFalse();
    }
}
