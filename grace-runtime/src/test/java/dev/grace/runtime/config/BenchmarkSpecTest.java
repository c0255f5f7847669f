package dev.grace.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Benchmark lines: scores and, since issue 19, one series of a KPI and a statistic; one line per mistake. */
class BenchmarkSpecTest {

    private static String error(String line) {
        try {
            BenchmarkSpec.parse(List.of(line));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + line);
    }

    @Test
    void aSeriesLineNamesTheDomainKpiAttributeAndStatistic() {
        BenchmarkSpec s = BenchmarkSpec.parse(List.of(
                "billing_p95: federation.latency{connector=billing}.p95 <= 0.25 over 24h")).get(0);
        assertThat(s.name()).isEqualTo("billing_p95");
        assertThat(s.metric()).isEqualTo("federation.latency{connector=billing}.p95");
        assertThat(s.isSeries()).isTrue();
        assertThat(s.perDomain()).isFalse();
        assertThat(s.atLeast()).isFalse();
        assertThat(s.threshold()).isEqualTo(0.25);
        assertThat(s.windowHours()).isEqualTo(24);
        assertThat(s.minSamples()).as("after defaults to the window's hours").isEqualTo(24);
        assertThat(s.series()).isEqualTo(new BenchmarkSpec.Series("federation", "latency", "connector", "billing", "p95"));
        assertThat(s.takes(120)).as("a series threshold is in the KPI's unit").isTrue();
        assertThat(s.takes(Double.NaN)).isFalse();

        BenchmarkSpec counted = BenchmarkSpec.parse(List.of(
                "ml_volume: ml.predictions{model=v1.2\\beta}.count >= 1000 over 6h after 3")).get(0);
        assertThat(counted.series().value()).isEqualTo("v1.2\\beta");
        assertThat(counted.series().statistic()).isEqualTo("count");
        assertThat(counted.minSamples()).isEqualTo(3);
        assertThat(counted.atLeast()).isTrue();

        BenchmarkSpec score = BenchmarkSpec.parse(List.of("t: overall.trust >= 0.9 over 24h after 3")).get(0);
        assertThat(score.isSeries()).isFalse();
        assertThat(score.takes(1.5)).isFalse();
    }

    @Test
    void eachMistakeInASeriesLineIsOneLineNamingTheItemAndWhatIsWrong() {
        String where = "cognition.benchmarks item 1 '";
        assertThat(error("b: federation.latency{connector=billing.p95 <= 0.25 over 24h")).isEqualTo(where
                + "b: federation.latency{connector=billing.p95 <= 0.25 over 24h': metric"
                + " 'federation.latency{connector=billing.p95' must be DOMAIN.KPI{KEY=VALUE}.STATISTIC with one pair of"
                + " braces, for example 'billing_p95: federation.latency{connector=billing}.p95 <= 0.25 over 24h'");
        assertThat(error("b: federation.latency}connector=billing{.p95 <= 0.25 over 24h"))
                .contains("must be DOMAIN.KPI{KEY=VALUE}.STATISTIC with one pair of braces");
        assertThat(error("b: federation.latency{connector=billing}.p95 <= 0.25"))
                .endsWith(": expected 'NAME: DOMAIN.KPI{KEY=VALUE}.STATISTIC <= THRESHOLD over WINDOW [after"
                        + " MIN_SAMPLES]', for example 'billing_p95: federation.latency{connector=billing}.p95 <= 0.25"
                        + " over 24h'");
        assertThat(error("b: federation.latency{connector=billing,region=eu}.p95 <= 0.25 over 24h"))
                .endsWith(": the series {connector=billing,region=eu} must name one attribute as {KEY=VALUE},"
                        + " for example {connector=billing}");
        assertThat(error("b: federation.latency{connector}.p95 <= 0.25 over 24h"))
                .endsWith(": the series {connector} must name one attribute as {KEY=VALUE}, for example {connector=billing}");
        assertThat(error("b: federation.latency{Connector=billing}.p95 <= 0.25 over 24h"))
                .endsWith(": attribute key 'Connector' must match [a-z][a-z0-9_]{0,31}");
        assertThat(error("b: federation.latency{connector=}.p95 <= 0.25 over 24h"))
                .endsWith(": attribute value '' must be 1 to 64 characters without a control character");
        assertThat(error("b: federation.latency{connector=billing}.p90 <= 0.25 over 24h"))
                .endsWith(": statistic 'p90' must be one of count, mean, min, max, stddev, p50, p95, p99");
        assertThat(error("b: federation.latency{connector=billing}.p95 <= fast over 24h"))
                .endsWith(": threshold 'fast' is not a number");
        assertThat(error("b: federation.latency{connector=billing}.p95 <= Infinity over 24h"))
                .endsWith(": threshold must be a finite number, got Infinity");
        assertThat(error("b: federation.latency{connector=billing}.p95 <= 0.25 over 90m"))
                .endsWith(": window must be whole hours between 1h and 90d, got 90m");
        assertThat(error("b: federation.latency{connector=billing}.p95 <= 0.25 over 6h after 7"))
                .endsWith(": the minimum sample count must be between 1 and the window's 6 hours, got 7");
        assertThat(error("b: " + "d".repeat(50) + ".latency{connector=" + "v".repeat(64) + "}.p95 <= 0.25 over 6h"))
                .endsWith(": the metric is 138 characters; at most 128 are stored");
        assertThatThrownBy(() -> BenchmarkSpec.parse(List.of("b: f.k{a=b}.p95 <= 1 over 1h", "b: overall.trust >= 0.5 over 1h after 1")))
                .hasMessageEndingWith(": the name b is used twice");
        assertThatThrownBy(() -> BenchmarkSpec.parse(List.of("b: overall.trust >= 0.5 over 1h after 1", "b: f.k{a=b}.p95 <= 1 over 1h")))
                .hasMessageEndingWith(": the name b is used twice");
    }
}
