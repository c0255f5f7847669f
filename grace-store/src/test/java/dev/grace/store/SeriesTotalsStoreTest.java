package dev.grace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KPI with series stores its total (every series' values, and those recorded without attributes)
 * as its hourly total row, whatever order the runtime hands the store totals and series in, and each
 * series as a row of its own.
 */
class SeriesTotalsStoreTest {

    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).attribute("connector").build();

    /** Records on two series and without attributes at start. */
    static final class TwoSeries implements DomainPlugin {
        @Override
        public PluginInfo info() {
            return PluginInfo.builder("two-series").domain("fed").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(LATENCY);
        }

        @Override
        public void start(PluginContext ctx) {
            Kpi.Series a = ctx.publisher().series(LATENCY, "connector", "a");
            Kpi.Series b = ctx.publisher().series(LATENCY, "connector", "b");
            for (int i = 1; i <= 100; i++) {
                a.record(i / 100.0);
                b.record(10 + i / 100.0);
            }
            ctx.publisher().record(LATENCY, 50);
        }
    }

    @TempDir
    Path dir;

    @Test
    void theStoredHourOfAKpiWithSeriesIsItsTotal() throws Exception {
        try (GraceRuntime runtime = GraceRuntime.builder().config(SigTermTest.config(dir)).discoverClasspath(false)
                .plugin(new TwoSeries()).build().start()) {
            assertThat(runtime.flushStore(Duration.ofSeconds(10))).isTrue();
            assertThat(runtime.rollups().series("fed", "latency")).hasSize(2);
            assertThat(runtime.storedRollups().rollupsBy("fed", "latency", "connector", Period.DAY,
                    Instant.now().minus(Duration.ofDays(1))))
                    .as("a running runtime's query API reads the stored series").extracting(PeriodRollup::series)
                    .containsExactly("connector=a", "connector=b");
        }
        try (GraceStore store = GraceStore.open(SigTermTest.config(dir))) {
            List<PeriodRollup> hours = store.rollups("fed", "latency", Period.HOUR,
                    Instant.now().minus(Duration.ofHours(3)));
            assertThat(hours).singleElement().satisfies(r -> {
                assertThat(r.count()).isEqualTo(201);
                assertThat(r.sum()).isCloseTo(50.5 + 1050.5 + 50, within(1e-9));
                assertThat(r.min()).isEqualTo(0.01);
                assertThat(r.max()).isEqualTo(50);
            });
            assertThat(store.rollupsBy("fed", "latency", "connector", Period.HOUR,
                    Instant.now().minus(Duration.ofHours(3))))
                    .extracting(PeriodRollup::series, PeriodRollup::count, PeriodRollup::min, PeriodRollup::max)
                    .containsExactly(tuple("connector=a", 100L, 0.01, 1.0), tuple("connector=b", 100L, 10.01, 11.0));
            assertThat(store.verify().differences()).isEmpty();
        }
    }
}
