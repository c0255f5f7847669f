package dev.grace.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader AdminHttpTest checks /metrics with rejects what Prometheus rejects. */
class PrometheusTextTest {

    @Test
    void readsTypesLabelsEscapesAndSpecialValues() {
        var families = PrometheusText.parse("""
                # HELP up Whether it is up.
                # TYPE up gauge
                up 1
                # TYPE requests_total counter
                requests_total{code="200",path="/a\\"b\\\\c"} 3 1700000000000
                requests_total{code="404",} +Inf
                # TYPE latency histogram
                latency_bucket{le="0.5"} 1
                latency_bucket{le="+Inf"} 2
                latency_sum 0.75
                latency_count 2
                """);

        assertThat(families.keySet()).containsExactly("up", "requests_total", "latency");
        assertThat(families.get("requests_total").type()).isEqualTo("counter");
        assertThat(families.get("requests_total").samples().get(0).labels())
                .isEqualTo(Map.of("code", "200", "path", "/a\"b\\c"));
        assertThat(families.get("requests_total").samples().get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(families.get("latency").samples()).hasSize(4);
    }

    @Test
    void rejectsWhatPrometheusRejects() {
        assertThatThrownBy(() -> PrometheusText.parse("up one\n")).hasMessageContaining("line 1: value is not a float");
        assertThatThrownBy(() -> PrometheusText.parse("up{a=\"x\" 1\n")).hasMessageContaining("not a sample");
        assertThatThrownBy(() -> PrometheusText.parse("up{a=x} 1\n")).hasMessageContaining("malformed labels");
        assertThatThrownBy(() -> PrometheusText.parse("up{a=\"\\q\"} 1\n")).hasMessageContaining("malformed labels");
        assertThatThrownBy(() -> PrometheusText.parse("up 1\n# TYPE up gauge\n")).hasMessageContaining("line 2: TYPE for up");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE up meter\n")).hasMessageContaining("malformed TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\nb 1\na 2\n")).hasMessageContaining("line 3: samples of a are not together");
        assertThatThrownBy(() -> PrometheusText.parse("up{a=\"1\",a=\"2\"} 1\n")).hasMessageContaining("label a given twice");
    }
}
