package dev.grace.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of the current hour in {@code /metrics}, read back by the Prometheus project's parser in
 * both formats: in their KPI's family beside its total (whose labels do not change), attributes as
 * labels, the overflow series as {@code grace_series_overflow="true"}, label values escaped, an
 * attribute key that is one of {@code /metrics}' own labels renamed {@code exported_...}.
 */
class MetricsSeriesTest {

    /** A KPI whose attribute keys collide with the labels /metrics sets itself. */
    static final Kpi LOOKUPS = Kpi.builder("lookups", Kpi.Unit.COUNT).attribute("kpi").attribute("quantile")
            .attribute("exported_quantile").build();

    static final class Odd implements DomainPlugin {
        volatile PluginContext context;

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("odd").domain("odd").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(LOOKUPS);
        }

        @Override
        public void start(PluginContext context) {
            this.context = context;
        }
    }

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T10:15:00Z"));
    private final Federation federation = new Federation();
    private final Odd odd = new Odd();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GraceRuntime runtime;

    @BeforeEach
    void start() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null))
                .withStore(GraceConfig.Store.defaults().withEnabled(false));
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(federation).plugin(odd).supervise(false).build().start();
        federation.publishSeries();
        odd.context.publisher().series(LOOKUPS, Map.of("kpi", "say \"hi\"", "quantile", "back\\slash",
                "exported_quantile", "x")).record(4);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void seriesAreLabelledBesideTheirTotalInBothFormats() throws Exception {
        PrometheusParser.requireOrSkip();
        for (String accept : new String[] {null, MetricsExpositionTest.PROMETHEUS_ACCEPT}) {
            String format = accept == null ? "text" : "openmetrics";
            Map<String, PrometheusParser.Family> families = PrometheusParser.parse(format, get(accept));

            Map<String, String> total = Map.of("domain", "federation", "kpi", "latency");
            assertThat(count(families, total)).as(format + ": the total, labels as before").isEqualTo(7);
            assertThat(sum(families, total)).isCloseTo(2.8, within(1e-9));

            Map<String, String> billing = labels("connector", "billing", "region", "eu");
            assertThat(count(families, billing)).isEqualTo(2);
            assertThat(sum(families, billing)).as("ms in seconds, as the total").isCloseTo(0.4, within(1e-9));
            Map<String, String> q = new HashMap<>(billing);
            q.put("quantile", "1.0");
            assertThat(PrometheusParser.value(families, "grace_kpi_seconds", "grace_kpi_seconds", q)).isEqualTo(0.3);
            assertThat(count(families, labels("connector", "crm", "region", "eu"))).isEqualTo(1);
            assertThat(count(families, labels("connector", "crm", "region", "us"))).isEqualTo(1);
            Map<String, String> overflow = labels("grace_series_overflow", "true");
            assertThat(count(families, overflow)).as("erp and hr, past the bound of 3").isEqualTo(2);
            assertThat(sum(families, overflow)).isCloseTo(1.1, within(1e-9));

            List<Map<String, String>> latency = families.get("grace_kpi_seconds").samples().stream()
                    .filter(s -> s.name().equals("grace_kpi_seconds_count") && "latency".equals(s.labels().get("kpi")))
                    .map(PrometheusParser.Sample::labels).toList();
            assertThat(latency).as("the total, maxSeries = 3 series and the overflow").hasSize(5);

            Map<String, String> escaped = Map.of("domain", "odd", "kpi", "lookups", "exported_kpi", "say \"hi\"",
                    "exported_exported_quantile", "back\\slash", "exported_quantile", "x");
            assertThat(PrometheusParser.value(families, "grace_kpi_items", "grace_kpi_items_count", escaped))
                    .as(format + ": values escaped and read back as recorded; colliding keys renamed").isEqualTo(1);
            assertThat(PrometheusParser.value(families, "grace_kpi_items", "grace_kpi_items_count",
                    Map.of("domain", "odd", "kpi", "lookups"))).as("the total").isEqualTo(1);
        }
    }

    @Test
    void theTextFormatEscapesLabelValuesAndKeepsTheTotalsLine() throws Exception {
        String body = get(null);

        assertThat(body).contains("grace_kpi_seconds_count{domain=\"federation\",kpi=\"latency\"} 7\n")
                .contains("grace_kpi_seconds_count{connector=\"billing\",domain=\"federation\",kpi=\"latency\","
                        + "region=\"eu\"} 2\n")
                .contains("grace_kpi_seconds_count{domain=\"federation\",grace_series_overflow=\"true\","
                        + "kpi=\"latency\"} 2\n")
                .contains("exported_kpi=\"say \\\"hi\\\"\"")
                .contains("exported_exported_quantile=\"back\\\\slash\"");
        AdminHttpTest.parse(body); // the strict reader of the text format
    }

    private static Map<String, String> labels(String... more) {
        Map<String, String> m = new HashMap<>(Map.of("domain", "federation", "kpi", "latency"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private static double count(Map<String, PrometheusParser.Family> families, Map<String, String> labels) {
        return PrometheusParser.value(families, "grace_kpi_seconds", "grace_kpi_seconds_count", labels);
    }

    private static double sum(Map<String, PrometheusParser.Family> families, Map<String, String> labels) {
        return PrometheusParser.value(families, "grace_kpi_seconds", "grace_kpi_seconds_sum", labels);
    }

    private String get(String accept) throws Exception {
        URI uri = runtime.adminEndpoint().orElseThrow().resolve("/metrics");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
