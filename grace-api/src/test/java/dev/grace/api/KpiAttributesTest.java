package dev.grace.api;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KpiAttributesTest {

    @Test
    void aKpiDeclaresItsKeysInOrderWithTheirAllowedValuesAndItsSeriesBound() {
        Kpi kpi = Kpi.builder("latency", Kpi.Unit.SECONDS)
                .attribute("connector")
                .attribute("region", "eu", "us")
                .maxSeries(50)
                .build();
        assertThat(kpi.attributes()).containsExactly(new Kpi.Attribute("connector", List.of()),
                new Kpi.Attribute("region", List.of("eu", "us")));
        assertThat(kpi.maxSeries()).isEqualTo(50);
        assertThat(kpi.attribute("region").allows("eu")).isTrue();
        assertThat(kpi.attribute("region").allows("asia")).isFalse();
        assertThat(kpi.attribute("connector").allows("billing, v2=x\\y")).isTrue();
        assertThat(kpi.attribute("connector").allows("")).isFalse();
        assertThat(kpi.attribute("connector").allows("a\nb")).isFalse();
        assertThat(kpi.attribute("model")).isNull();
    }

    @Test
    void aKpiWithoutAttributesHasNoneAndTheDefaultBound() {
        Kpi kpi = Kpi.builder("scan_time", Kpi.Unit.SECONDS).build();
        assertThat(kpi.attributes()).isEmpty();
        assertThat(kpi.hasAttributes()).isFalse();
        assertThat(kpi.maxSeries()).isEqualTo(Kpi.DEFAULT_MAX_SERIES).isEqualTo(200);
        assertThat(new Kpi("x", Kpi.Unit.COUNT, Kpi.Direction.HIGHER_IS_BETTER, false, null, 0, 1, null))
                .isEqualTo(Kpi.builder("x", Kpi.Unit.COUNT).range(0, 1).build());
    }

    @Test
    void badDeclarationsFailAtBuildTimeWithOneMessageNamingTheKpiAndTheRule() {
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("Connector"))
                .hasMessage("KPI lat: attribute key 'Connector' must match [a-z][a-z0-9_]{0,31}");
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("_overflow"))
                .hasMessageContaining("attribute key '_overflow' must match");
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("region", "eu", ""))
                .hasMessage("KPI lat: allowed value '' of attribute region is empty");
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("region", "eu", "eu"))
                .hasMessage("KPI lat: allowed value 'eu' of attribute region is listed twice");
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("region", "eu", null))
                .hasMessage("KPI lat: allowed value 'null' of attribute region is null");
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("a").attribute("b")
                .attribute("c").attribute("d").attribute("e").build())
                .hasMessage("KPI lat declares 5 attribute keys; at most 4 are allowed");
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("a").attribute("a").build())
                .hasMessage("KPI lat declares attribute 'a' twice");
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).maxSeries(0).build())
                .hasMessage("maxSeries of KPI lat must be within [1, 10000], got 0");
        assertThatThrownBy(() -> Kpi.builder("lat", Kpi.Unit.SECONDS).maxSeries(10_001).build())
                .hasMessage("maxSeries of KPI lat must be within [1, 10000], got 10001");
    }

    @Test
    void attributesAreOnePartOfTheDeclarationsIdentity() {
        Kpi a = Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("connector").build();
        assertThat(a).isEqualTo(Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("connector").build())
                .isNotEqualTo(Kpi.builder("lat", Kpi.Unit.SECONDS).build())
                .isNotEqualTo(Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("connector").maxSeries(5).build());
    }

    @Test
    void theSeriesKeyIsSortedByKeyEscapedAndReadBack() {
        Map<String, String> attrs = new HashMap<>();
        attrs.put("region", "eu");
        attrs.put("connector", "a,b=c\\d");
        String key = SeriesKey.of(attrs);
        assertThat(key).isEqualTo("connector=a\\,b\\=c\\\\d,region=eu");
        assertThat(SeriesKey.parse(key)).containsExactly(Map.entry("connector", "a,b=c\\d"), Map.entry("region", "eu"));
        assertThat(SeriesKey.of(Map.of())).isEqualTo(SeriesKey.TOTAL).isEmpty();
        assertThat(SeriesKey.of(null)).isEmpty();
        assertThat(SeriesKey.parse("")).isEmpty();
        assertThat(SeriesKey.parse(SeriesKey.OVERFLOW)).isEmpty();
        assertThat(SeriesKey.parse("connector=")).containsExactly(Map.entry("connector", ""));
        assertThatThrownBy(() -> SeriesKey.parse("connector")).hasMessageContaining("expected key=value at index 0");
        assertThatThrownBy(() -> SeriesKey.parse("a=1,")).hasMessageContaining("expected key=value at index 4");
        assertThatThrownBy(() -> SeriesKey.parse("a=1,a=2")).hasMessageContaining("key a appears twice");
    }

    @Test
    void publishersWithoutSeriesAndNoopReturnASeriesThatAcceptsNothing() {
        Kpi kpi = Kpi.builder("lat", Kpi.Unit.SECONDS).attribute("connector").build();
        Kpi.Series s = MetricPublisher.NOOP.series(kpi, "connector", "billing");
        assertThat(s.record(1.0)).isFalse();
        assertThat(s.kpi()).isSameAs(kpi);
        assertThat(s.attributes()).containsExactly(Map.entry("connector", "billing"));
        assertThat(MetricPublisher.NOOP.record(kpi, Map.of("connector", "x"), 1.0)).isFalse();
        assertThat(MetricPublisher.NOOP.series(kpi, "a", "1", "a", "2").record(1)).isFalse();
        assertThat(MetricPublisher.NOOP.series(kpi, null).attributes()).isEmpty();
    }
}
