package dev.grace.cli;

import static dev.grace.cli.InProcessCommand.grace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.grace.cli.InProcessCommand.Result;

/** {@code grace rollups --by KEY}: a KPI's stored series grouped by one attribute, read from a real H2 store. */
class RollupsByCommandTest {

    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter()
            .attribute("connector").attribute("region").maxSeries(3).build();
    static final Kpi PLAIN = Kpi.builder("plain", Kpi.Unit.COUNT).build();

    /** Three series and one past the bound (the overflow series), and a KPI without attributes. */
    static final class Connectors implements DomainPlugin {
        @Override
        public PluginInfo info() {
            return PluginInfo.builder("connectors").domain("fed").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(LATENCY, PLAIN);
        }

        @Override
        public void start(PluginContext ctx) {
            var p = ctx.publisher();
            for (int i = 1; i <= 10; i++) {
                p.series(LATENCY, "connector", "billing", "region", "eu").record(i / 10.0);
                p.series(LATENCY, "connector", "billing", "region", "us").record(2);
                p.series(LATENCY, "connector", "crm", "region", "eu").record(3);
            }
            p.series(LATENCY, "connector", "erp", "region", "eu").record(9); // the fourth set: overflow
            p.record(PLAIN, 1);
        }
    }

    @TempDir
    Path dir;

    @BeforeEach
    void store() throws Exception {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of());
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).discoverClasspath(false)
                .plugin(new Connectors()).build().start()) {
            assertThat(runtime.flushStore(Duration.ofSeconds(10))).isTrue();
        }
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    @Test
    void byKeyPrintsOneRowPerPeriodAndValueAndTheOverflowSeries() throws Exception {
        Result table = grace("rollups", "--data-dir", data(), "--domain", "fed", "--kpi", "latency", "--by", "connector");
        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("hour (UTC)").contains("connector", "count", "p95", "nodes");
        assertThat(lines.get(1)).contains(" _overflow ").containsPattern(" 1 +9\\.000 ");
        assertThat(lines.get(2)).contains(" billing ").containsPattern(" 20 +1\\.275 ");
        assertThat(lines.get(3)).contains(" crm ").containsPattern(" 10 +3\\.000 ");

        Result json = grace("rollups", "--data-dir", data(), "--domain", "fed", "--kpi", "latency", "--by", "region",
                "--period", "day", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("series").asText()).isEqualTo("_overflow");
        assertThat(rows.get(0).get("by").asText()).isEqualTo("region");
        assertThat(rows.get(0).get("value").isNull()).isTrue();
        assertThat(rows.get(1).get("series").asText()).isEqualTo("region=eu");
        assertThat(rows.get(1).get("value").asText()).isEqualTo("eu");
        assertThat(rows.get(1).get("count").asLong()).isEqualTo(20);
        assertThat(rows.get(1).get("period").asText()).isEqualTo("day");
        assertThat(rows.get(2).get("value").asText()).isEqualTo("us");
        assertThat(rows.get(2).get("max").asDouble()).isEqualTo(2.0);
    }

    @Test
    void aKeyNoStoredSeriesCarriesIsOneLineNamingTheKeysThatAre() {
        Result unknown = grace("rollups", "--data-dir", data(), "--domain", "fed", "--kpi", "latency", "--by", "model");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err().strip()).isEqualTo(
                "grace: --by: no stored series of fed/latency carries attribute model; its stored series carry:"
                        + " connector, region");
        Result plain = grace("rollups", "--data-dir", data(), "--domain", "fed", "--kpi", "plain", "--by", "connector");
        assertThat(plain.exitCode()).isEqualTo(2);
        assertThat(plain.err().strip()).isEqualTo("grace: --by: no stored series of fed/plain carries attribute"
                + " connector; it has stored totals only (a KPI without attributes, or none of its series stored yet)");
        Result malformed = grace("rollups", "--data-dir", data(), "--domain", "fed", "--kpi", "latency", "--by", "Region");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err().strip()).isEqualTo("grace: --by: attribute key 'Region' must match [a-z][a-z0-9_]{0,31}");
        Result noKpi = grace("rollups", "--data-dir", data(), "--domain", "fed", "--by", "connector");
        assertThat(noKpi.exitCode()).isEqualTo(2);
        assertThat(noKpi.err().strip()).isEqualTo("grace: --by: name the KPI whose attribute connector to group by,"
                + " with --kpi");
        Result unknownKpi = grace("rollups", "--data-dir", data(), "--domain", "fed", "--kpi", "nope", "--by", "connector");
        assertThat(unknownKpi.err().strip()).isEqualTo("grace: --kpi: domain fed has no KPI nope; its KPIs: latency, plain");
    }

    @Test
    void aWindowWithoutRowsSaysSo() {
        Result empty = grace("rollups", "--data-dir", data(), "--domain", "fed", "--kpi", "latency", "--by", "connector",
                "--since", "2099-01-01T00:00:00Z", "--period", "week");
        assertThat(empty.exitCode()).as(empty.err()).isZero();
        assertThat(empty.out()).startsWith("no weekly rollups of fed/latency by connector since ");
    }
}
