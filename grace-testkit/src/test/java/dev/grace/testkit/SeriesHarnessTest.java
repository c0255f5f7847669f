package dev.grace.testkit;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.api.RejectReason;
import dev.grace.runtime.HourlyRollup;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A plugin test reading the series of a KPI with attributes, as a plugin author writes it. */
class SeriesHarnessTest {

    /** Times two "connectors" it is configured with, one bound series each. */
    public static final class PerConnector implements DomainPlugin {
        static final Kpi CALL_TIME = Kpi.builder("call_time", Kpi.Unit.SECONDS).lowerIsBetter()
                .attribute("connector").maxSeries(2).build();

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("per-connector").domain("federation").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(CALL_TIME);
        }

        @Override
        public void start(PluginContext ctx) {
            for (String connector : ctx.config().list("connectors")) {
                Kpi.Series s = ctx.publisher().series(CALL_TIME, "connector", connector);
                s.record(connector.length() / 10.0);
                s.record(connector.length() / 5.0);
            }
            ctx.publisher().series(CALL_TIME, "tenant", "acme").record(1.0);
        }
    }

    @Test
    void eachSeriesIsReadByItsAttributesAndTheTotalHoldsThemAll() {
        try (PluginHarness h = PluginHarness.forPlugin(new PerConnector())
                .config("connectors", "billing,crm,erp-long").start()) {
            assertThat(h.values("call_time", Map.of("connector", "billing"))).containsExactly(0.7, 1.4);
            assertThat(h.values("call_time", Map.of("connector", "erp-long"))).isEmpty(); // third: overflowed
            assertThat(h.published()).filteredOn(p -> p.series().equals("_overflow"))
                    .extracting(Published::value).containsExactly(0.8, 1.6);
            assertThat(h.series("call_time")).extracting(HourlyRollup::series)
                    .containsExactly("_overflow", "connector=billing", "connector=crm");
            assertThat(h.currentHour("call_time", Map.of("connector", "crm")))
                    .hasValueSatisfying(r -> assertThat(r.sum()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-12)));
            assertThat(h.currentHour("call_time")).hasValueSatisfying(r -> assertThat(r.count()).isEqualTo(6));
            assertThat(h.stats().seriesOverflow("per-connector")).isEqualTo(2);
            assertThat(h.rejected(RejectReason.UNKNOWN_ATTRIBUTE)).isEqualTo(1);
        }
    }
}
