package dev.grace.cli;

import static dev.grace.cli.InProcessCommand.grace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.grace.cli.InProcessCommand.Result;

/** grace run stores into the embedded H2 database; rollups, verify, backup, db and audit read it. */
class StoreCommandsTest {

    @TempDir
    Path dir;

    @Test
    void whatRunStoredIsReadBackVerifiedBackedUpAndAudited() throws Exception {
        String data = dir.resolve("data").toString();
        Result run = grace("run", "--no-http", "--for", "0s", "--data-dir", data, "--plugins-dir", dir.resolve("none").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Data stored in jdbc:h2:file:" + dir.resolve("data").toAbsolutePath());
        // after the summary: the status of the hour it ran, and the readiness (no hour ended, none evaluated)
        assertThat(run.out()).containsOnlyOnce("Status of hour ")
                .contains("\nDOMAIN   HEALTH  TRUST  CONFIDENCE  TREND  ALERTS (24H)  KPIS\ntesting")
                .contains("testing  latency_ms  MILLISECONDS      3    20  not counted")
                .contains("\nReadiness: no hour evaluated yet: not ready (0 of ");
        // nothing evaluated yet: the report says so, and draws empty charts
        Result report = grace("report", "--data-dir", data, "--out", dir.resolve("r.md").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(Files.readString(dir.resolve("r.md"))).contains("Latest evaluated hour: none yet.",
                "| domain_health | testing.health | — | ≥ 0.85 | 0/168 | insufficient | not evaluated yet");
        assertThat(Files.readString(dir.resolve("r-overall.health.svg"))).contains("no value in these 7 days");
        assertThat(run.out().indexOf("Status of hour ")).as(run.out()).isGreaterThan(run.out().indexOf("Values accepted: "));

        Result rollups = grace("rollups", "--data-dir", data, "--domain", "testing", "--kpi", "latency_ms",
                "--period", "day", "--since", "7d", "--json");
        assertThat(rollups.exitCode()).as(rollups.err()).isZero();
        JsonNode days = new ObjectMapper().readTree(rollups.out());
        assertThat(days).hasSize(1);
        assertThat(days.get(0).get("count").asLong()).isEqualTo(3);
        assertThat(days.get(0).get("mean").asDouble()).isEqualTo(20.0);
        assertThat(days.get(0).get("min").asDouble()).isEqualTo(10.0);
        assertThat(days.get(0).get("max").asDouble()).isEqualTo(30.0);

        Result table = grace("rollups", "--data-dir", data, "--domain", "testing", "--kpi", "latency_ms");
        assertThat(table.out()).contains("hour (UTC)", "count", "p99");

        // without --kpi: every KPI of the domain, the declared one that received nothing too
        Result domain = grace("rollups", "--data-dir", data, "--domain", "testing");
        assertThat(domain.exitCode()).as(domain.err()).isZero();
        assertThat(domain.out()).startsWith("testing/hits:\n  no hourly rollups of testing/hits since ")
                .contains("\ntesting/latency_ms:\n  hour (UTC)");
        Result unknownDomain = grace("rollups", "--data-dir", data, "--domain", "inventory");
        assertThat(unknownDomain.exitCode()).isEqualTo(2);
        assertThat(unknownDomain.err().strip()).isEqualTo(
                "grace: --domain: no rollups or declared KPIs of domain inventory; known domains: testing");
        Result unknownKpi = grace("rollups", "--data-dir", data, "--domain", "testing", "--kpi", "nope");
        assertThat(unknownKpi.exitCode()).isEqualTo(2);
        assertThat(unknownKpi.err().strip()).isEqualTo("grace: --kpi: domain testing has no KPI nope; its KPIs: hits, latency_ms");

        assertThat(grace("verify", "--data-dir", data).out()).contains("hourly rollups match their raw events");
        assertThat(grace("audit", "verify", "--data-dir", data).out()).startsWith("audit log intact: ");
        assertThat(grace("db", "info", "--data-dir", data).out()).contains("database: H2", "schema:   9 (current)");
        assertThat(grace("db", "migrate", "--data-dir", data).out()).contains("schema already current");

        // A stored row that no longer matches its raw events, and an audit row changed after the fact
        String url = "jdbc:h2:file:" + dir.resolve("data").toAbsolutePath() + "/store/grace;AUTO_SERVER=TRUE";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE metrics_rollups SET count = count + 1 WHERE period = 'hour' AND kpi = 'latency_ms'");
            s.executeUpdate("UPDATE audit_log SET detail = 'rewritten' WHERE seq = 2");
        }
        Result verify = grace("verify", "--data-dir", data);
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("hourly rollups differ from their raw events:", "testing/latency_ms",
                "stored count=4", "raw events count=3");
        Result audit = grace("audit", "verify", "--data-dir", data);
        assertThat(audit.exitCode()).isEqualTo(1);
        assertThat(audit.out()).isEqualTo("audit log broken: row 2 was changed (its hash does not match its fields)\n");

        Path zip = dir.resolve("backup/grace.zip");
        Result backup = grace("backup", "--data-dir", data, zip.toString());
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        assertThat(zip).isNotEmptyFile();
        assertThat(grace("backup", "--data-dir", data, zip.toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void rollupsAndVerifySayWhatTheJournalHoldsUntilAStartWritesIt() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] serverArgs = {"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", dir.resolve("server").toString()};
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/grace";
        Path data = dir.resolve("data");
        dev.grace.runtime.config.GraceConfig config = dev.grace.runtime.config.GraceConfig.defaults().withDataDir(data)
                .withPluginsDirs(java.util.List.of())
                .withStore(dev.grace.runtime.config.GraceConfig.Store.defaults().withUrl(url)
                        .withFlushInterval(java.time.Duration.ofHours(1)));
        org.h2.tools.Server server = org.h2.tools.Server.createTcpServer(serverArgs).start();
        String[] store = {"--data-dir", data.toString(), "--set", "store.url=" + url};
        try {
            // a run whose database went down before it wrote anything: the refusal says where the data is
            server = runDuringAnOutage(config, server, serverArgs);
            Result none = grace(concat(new String[] {"rollups"}, concat(store, "--domain", "testing")));
            assertThat(none.exitCode()).isEqualTo(2);
            assertThat(none.err()).contains("the store has none yet; the journal ", " not yet in the database");
            startAndStop(config); // the next start writes the journal
            Result first = grace(concat(new String[] {"rollups"}, concat(store, "--domain", "testing", "--kpi", "latency_ms", "--json")));
            assertThat(first.err()).doesNotContain("note:");
            assertThat(new ObjectMapper().readTree(first.out()).get(0).get("count").asLong()).isEqualTo(3);

            // a second such run: its 3 values are in the journal, the stored figures show the first run's
            server = runDuringAnOutage(config, server, serverArgs);
            Result table = grace(concat(new String[] {"rollups"}, concat(store, "--domain", "testing", "--kpi", "latency_ms")));
            assertThat(table.exitCode()).as(table.err()).isZero();
            assertThat(table.out()).as("grace rollups").containsPattern("^note: the journal " + java.util.regex.Pattern.quote(
                    data.resolve("journal").toAbsolutePath().toString()) + " holds \\d+ records? \\(\\d+ bytes\\) not yet in"
                    + " the database.*at its next start");
            Result json = grace(concat(new String[] {"rollups"}, concat(store, "--domain", "testing", "--kpi", "latency_ms", "--json")));
            assertThat(json.err()).as("grace rollups --json: the note on stderr").contains("note: the journal");
            assertThat(new ObjectMapper().readTree(json.out()).get(0).get("count").asLong()).as("stdout, one JSON document")
                    .isEqualTo(3);
            Result verify = grace(concat(new String[] {"verify"}, store));
            assertThat(verify.out()).as("grace verify").contains("verify: note: the journal ", " not yet in the database");

            startAndStop(config);
            Result after = grace(concat(new String[] {"rollups"}, concat(store, "--domain", "testing", "--kpi", "latency_ms", "--json")));
            assertThat(after.err()).doesNotContain("note:");
            assertThat(new ObjectMapper().readTree(after.out()).get(0).get("count").asLong()).isEqualTo(6);
            assertThat(grace(concat(new String[] {"verify"}, store)).out()).doesNotContain("note:")
                    .contains("hourly rollups match their raw events");
        } finally {
            server.stop();
        }
    }

    /** A run of the probe plugin whose database stops right after it started: what it holds goes to the journal. */
    private static org.h2.tools.Server runDuringAnOutage(dev.grace.runtime.config.GraceConfig config,
                                                         org.h2.tools.Server server, String[] serverArgs) throws Exception {
        dev.grace.runtime.GraceRuntime runtime = dev.grace.runtime.GraceRuntime.builder().config(config)
                .discoverClasspath(false).plugin(new ProbePlugin()).build().start();
        server.stop();
        runtime.close();
        return org.h2.tools.Server.createTcpServer(serverArgs).start();
    }

    private static void startAndStop(dev.grace.runtime.config.GraceConfig config) {
        dev.grace.runtime.GraceRuntime.builder().config(config).discoverClasspath(false).build().start().close();
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void badStoreSettingsAreOneLineAndExitCodeTwo() throws Exception {
        Result url = grace("run", "--no-http", "--for", "0s", "--data-dir", dir.toString(), "--set", "store.url=jdbc:oracle:thin:@db");
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err().lines()).containsExactly(
                "grace: store.url must be jdbc:postgresql://HOST[:PORT]/DATABASE or a jdbc:h2: URL, got \"jdbc:oracle:thin:@db\"");

        Path file = Files.writeString(dir.resolve("file"), "x");
        Result notWritable = grace("rollups", "--data-dir", file.resolve("d").toString(), "--domain", "a", "--kpi", "b");
        assertThat(notWritable.exitCode()).isEqualTo(2);
        assertThat(notWritable.err().lines()).hasSize(1).first().asString().startsWith("grace: dataDir ");

        Result since = grace("rollups", "--data-dir", dir.toString(), "--domain", "a", "--kpi", "b", "--since", "yesterday");
        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.err()).startsWith("grace: --since: expected a duration");

        Result pg = grace("backup", "--data-dir", dir.toString(), "--set",
                "store.url=jdbc:postgresql://127.0.0.1:1/grace", "x.zip");
        assertThat(pg.exitCode()).as("a database that cannot be reached exits 3, not 2 (usage)").isEqualTo(3);
        assertThat(pg.err()).startsWith("grace: cannot connect to the store database jdbc:postgresql://127.0.0.1:1/grace");
    }
}
