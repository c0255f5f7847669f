package dev.grace.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.grace.api.DomainPlugin;
import dev.grace.api.GraceApi;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /metrics} of a real runtime over real HTTP, read by the Prometheus project's own parser in
 * both formats: Prometheus names and base units, a summary family per unit, {@code grace_build_info},
 * and OpenMetrics when the scraper's Accept header asks for it.
 */
class MetricsExpositionTest {

    /** What Prometheus 2.x and 3.x send when scraping. */
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    static final Kpi CHECKOUT = Kpi.builder("checkout", Kpi.Unit.MILLISECONDS).lowerIsBetter().build();
    static final Kpi ORDERS = Kpi.builder("orders", Kpi.Unit.PER_HOUR).build();
    static final Kpi PAYLOAD = Kpi.builder("payload", Kpi.Unit.BYTES).build();
    static final Kpi BASKET = Kpi.builder("basket", Kpi.Unit.COUNT).build();

    /** A plugin whose KPIs are in the units that /metrics converts or names on their own. */
    static final class Shop implements DomainPlugin {
        volatile PluginContext context;

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("shop").domain("shop").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(CHECKOUT, ORDERS, PAYLOAD, BASKET, TestPlugins.SUCCESS);
        }

        @Override
        public void start(PluginContext context) {
            this.context = context;
        }
    }

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T10:15:00Z"));
    private final TestPlugins.Good core = new TestPlugins.Good();
    private final Shop shop = new Shop();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GraceRuntime runtime;

    @BeforeEach
    void start() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null));
        runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(core).plugin(shop).supervise(false).build().start();
        for (double ms : new double[] {100, 200, 300}) {
            shop.context.publisher().record(CHECKOUT, ms);
        }
        shop.context.publisher().record(ORDERS, 7200);
        shop.context.publisher().record(PAYLOAD, 2048);
        shop.context.publisher().record(BASKET, 3);
        shop.context.publisher().record(TestPlugins.SUCCESS, 2); // out of range: rejected, counted
        core.publisher().record(TestPlugins.LATENCY, 1.5);
        core.publisher().record(TestPlugins.SUCCESS, 0.25);
        core.publisher().record(TestPlugins.SUCCESS, 0.75);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void bothFormatsAreReadByThePrometheusParserWithBaseUnitsAndSummaries() throws Exception {
        PrometheusParser.requireOrSkip();
        HttpResponse<String> text = get(null);
        HttpResponse<String> open = get(PROMETHEUS_ACCEPT);

        assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(open.headers().firstValue("Content-Type"))
                .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.body()).endsWith("\n# EOF\n");
        for (String format : List.of("text", "openmetrics")) {
            Map<String, PrometheusParser.Family> families = PrometheusParser.parse(format,
                    format.equals("text") ? text.body() : open.body());

            // the text format has no info type: its parser reads grace_build_info as a gauge of that name
            String build = format.equals("text") ? "grace_build_info" : "grace_build";
            assertThat(families.keySet()).as(format).contains(build, "grace_up", "grace_plugins",
                    "grace_plugin_restarts", "grace_values_accepted", "grace_values_rejected",
                    "grace_raw_events_dropped", "grace_store_up", "grace_kpi_seconds", "grace_kpi_ratio",
                    "grace_kpi_per_second", "grace_kpi_bytes", "grace_kpi_items");
            assertThat(families.keySet()).as("no old names").noneMatch(n -> n.startsWith("grace_kpi_hour"));
            assertThat(families.get("grace_values_accepted").type()).isEqualTo("counter");
            assertThat(families.get("grace_values_accepted").samples()).allMatch(s -> s.name().endsWith("_total"));
            assertThat(families.get("grace_kpi_seconds").type()).isEqualTo("summary");
            assertThat(families.get(build).type()).isEqualTo(format.equals("text") ? "gauge" : "info");
            assertThat(families.get(build).samples()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("grace_build_info");
                assertThat(s.labels()).containsEntry("version", GraceApi.version()).containsKey("java_version");
                assertThat(s.number()).isEqualTo(1);
            });

            Map<String, String> checkout = Map.of("domain", "shop", "kpi", "checkout");
            assertThat(quantile(families, "grace_kpi_seconds", checkout, "0.0")).as("ms in seconds").isEqualTo(0.1);
            assertThat(quantile(families, "grace_kpi_seconds", checkout, "0.5")).isCloseTo(0.2, within(0.002));
            assertThat(quantile(families, "grace_kpi_seconds", checkout, "0.95")).isCloseTo(0.3, within(0.003));
            assertThat(quantile(families, "grace_kpi_seconds", checkout, "0.99")).isCloseTo(0.3, within(0.003));
            assertThat(quantile(families, "grace_kpi_seconds", checkout, "1.0")).isEqualTo(0.3);
            assertThat(PrometheusParser.value(families, "grace_kpi_seconds", "grace_kpi_seconds_count", checkout)).isEqualTo(3);
            assertThat(PrometheusParser.value(families, "grace_kpi_seconds", "grace_kpi_seconds_sum", checkout)).isEqualTo(0.6);
            Map<String, String> latency = Map.of("domain", "core", "kpi", "latency");
            assertThat(PrometheusParser.value(families, "grace_kpi_seconds", "grace_kpi_seconds_sum", latency))
                    .as("seconds stay seconds, in the same family").isEqualTo(1.5);
            assertThat(PrometheusParser.value(families, "grace_kpi_per_second", "grace_kpi_per_second_sum",
                    Map.of("domain", "shop", "kpi", "orders"))).as("7,200 an hour is 2 a second").isEqualTo(2);
            assertThat(PrometheusParser.value(families, "grace_kpi_bytes", "grace_kpi_bytes_sum",
                    Map.of("domain", "shop", "kpi", "payload"))).isEqualTo(2048);
            assertThat(PrometheusParser.value(families, "grace_kpi_items", "grace_kpi_items_sum",
                    Map.of("domain", "shop", "kpi", "basket"))).isEqualTo(3);
            Map<String, String> success = Map.of("domain", "core", "kpi", "success");
            assertThat(PrometheusParser.value(families, "grace_kpi_ratio", "grace_kpi_ratio_count", success)).isEqualTo(2);
            assertThat(PrometheusParser.value(families, "grace_kpi_ratio", "grace_kpi_ratio_sum", success)).isEqualTo(1);
            assertThat(PrometheusParser.value(families, "grace_values_rejected", "grace_values_rejected_total",
                    Map.of("publisher", "shop", "reason", "OUT_OF_RANGE"))).isEqualTo(1);
            assertThat(PrometheusParser.value(families, "grace_values_accepted", "grace_values_accepted_total",
                    Map.of("publisher", "shop"))).isEqualTo(6);
        }
    }

    @Test
    void openMetricsNamesItsUnitsAndSaysTheSameAsTheTextFormat() throws Exception {
        PrometheusParser.requireOrSkip();
        String textBody = get(null).body();
        String openBody = get(PROMETHEUS_ACCEPT).body(); // the second scrape counts the first request

        Map<String, PrometheusParser.Family> text = PrometheusParser.parse("text", textBody);
        Map<String, PrometheusParser.Family> open = PrometheusParser.parse("openmetrics", openBody);

        assertThat(open.get("grace_kpi_seconds").unit()).isEqualTo("seconds");
        assertThat(open.get("grace_kpi_ratio").unit()).isEqualTo("ratio");
        assertThat(open.get("grace_kpi_per_second").unit()).isEqualTo("per_second");
        assertThat(open.get("grace_kpi_bytes").unit()).isEqualTo("bytes");
        assertThat(open.get("grace_store_writer_stuck_seconds").unit()).isEqualTo("seconds");
        assertThat(open.get("grace_build").type()).isEqualTo("info");
        text.put("grace_build", text.remove("grace_build_info")); // the text format has no info type
        assertThat(open.remove("grace_http_requests")).as("the first scrape is counted").isNotNull();
        assertThat(text.keySet()).isEqualTo(open.keySet());
        for (String name : text.keySet()) {
            assertThat(samples(open.get(name))).as(name).isEqualTo(samples(text.get(name)));
            assertThat(open.get(name).help()).as(name).isEqualTo(text.get(name).help());
        }
    }

    @Test
    void theTextFormatIsServedUnlessOpenMetricsIsAskedFor() throws Exception {
        for (String accept : new String[] {null, "*/*", "text/plain", "application/json", "application/openmetrics-text;q=0"}) {
            HttpResponse<String> r = get(accept);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(accept).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).as(accept).doesNotContain("# EOF");
            AdminHttpTest.parse(r.body()); // the strict reader of the text format
        }
        assertThat(get("application/openmetrics-text").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text; version=1.0.0"));
    }

    private static double quantile(Map<String, PrometheusParser.Family> families, String family,
                                   Map<String, String> labels, String q) {
        Map<String, String> withQ = new HashMap<>(labels);
        withQ.put("quantile", q);
        return PrometheusParser.value(families, family, family, withQ);
    }

    private static Set<PrometheusParser.Sample> samples(PrometheusParser.Family f) {
        return new HashSet<>(f.samples());
    }

    private HttpResponse<String> get(String accept) throws Exception {
        URI uri = runtime.adminEndpoint().orElseThrow().resolve("/metrics");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
