package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code grace run --json}: one JSON document on stdout when the run ends, nothing else. */
class RunJsonTest {

    @TempDir
    Path dir;

    @Test
    void theRunEndsWithOneJsonDocumentOfStatesKpisRejectionsStatusAndReadiness() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine grace = GraceCommand.commandLine(Map.of());
        grace.setOut(new PrintWriter(out, true));
        grace.setErr(new PrintWriter(err, true));

        int exit = grace.execute("run", "--no-http", "--for", "0s", "--json", "--data-dir", dir.resolve("data").toString(),
                "--plugins", "probe,faulty");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(out.toString());   // the whole of stdout is one document
        Map<String, JsonNode> plugins = new HashMap<>();
        doc.get("plugins").forEach(p -> plugins.put(p.get("id").asText(), p));
        assertThat(plugins.get("probe").get("state").asText()).isEqualTo("STOPPED");
        assertThat(plugins.get("probe").get("cause").isNull()).isTrue();
        assertThat(plugins.get("faulty").get("state").asText()).isEqualTo("FAILED");
        assertThat(plugins.get("faulty").get("cause").asText()).contains("cannot reach its data source");
        assertThat(plugins.get("example").get("state").asText()).isEqualTo("DISABLED");
        assertThat(plugins.get("example").get("cause").asText()).isEqualTo("not in plugins.enabled (probe, faulty)");

        JsonNode latency = null;
        for (JsonNode k : doc.get("kpis")) {
            if (k.get("domain").asText().equals("testing") && k.get("kpi").asText().equals("latency_ms")) {
                latency = k;
            }
        }
        assertThat(latency).as(doc.toPrettyString()).isNotNull();
        JsonNode hour = latency.get("hours").get(0);
        assertThat(hour.get("count").asLong()).isEqualTo(3);
        assertThat(hour.get("mean").asDouble()).isEqualTo(20.0);
        assertThat(hour.get("p95").asDouble()).isBetween(29.0, 31.0);
        assertThat(doc.get("rejections").get("probe").get("UNKNOWN_KPI").asLong()).isEqualTo(1);
        assertThat(doc.get("rejections").get("probe").get("NOT_A_NUMBER").asLong()).isEqualTo(1);
        assertThat(doc.get("accepted").asLong()).isEqualTo(3);
        assertThat(doc.get("rejected").asLong()).isEqualTo(2);
        assertThat(doc.get("rollupValuesLost")).as("the store's own count, present").isNotNull();
        assertThat(doc.get("rollupValuesLost").asLong()).as("the database answered throughout").isZero();
        assertThat(doc.get("status").get("hour").asText()).endsWith(":00:00Z");
        assertThat(doc.get("status").get("domains").toString()).contains("testing");
        assertThat(doc.get("readiness").isObject()).isTrue();
        assertThat(doc.get("store").asText()).startsWith("jdbc:h2:file:");
    }
}
