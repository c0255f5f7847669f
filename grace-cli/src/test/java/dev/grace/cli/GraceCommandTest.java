package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grace.testkit.PluginJar;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class GraceCommandTest {

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Result grace(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = GraceCommand.commandLine(env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static Result grace(String... args) {
        return grace(Map.of(), args);
    }

    @Nested
    class Usage {

        @ParameterizedTest
        @ValueSource(strings = {"", "plugins", "run", "status", "readiness", "benchmark", "benchmark run",
                "benchmark history", "alerts", "report"})
        void everyCommandHasHelp(String command) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add("--help");

            Result result = grace(args.toArray(String[]::new));

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).startsWith("Usage: grace" + (command.isEmpty() ? "" : " " + command));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "plugins", "run", "status", "readiness", "benchmark run", "alerts", "report"})
        void everyCommandPrintsTheApiVersion(String command) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add("--version");

            Result result = grace(args.toArray(String[]::new));

            assertThat(result.exitCode()).isZero();
            assertThat(result.out().strip()).isEqualTo("grace " + dev.grace.api.GraceApi.version());
        }

        @Test
        void badFlagIsOneLineAndExitCode2() {
            Result result = grace("run", "--bogus");

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("grace: Unknown option: '--bogus' (see 'grace run --help')");
            assertThat(result.out()).isEmpty();
        }

        @Test
        void badDurationIsOneLineAndExitCode2() {
            Result result = grace("run", "--for", "soon");

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly(
                    "grace: --for: expected a duration such as 30s, 2h or PT2H, got \"soon\" (see 'grace run --help')");
        }

        @Test
        void negativeDurationIsRejected() {
            Result result = grace("run", "--for", "PT-5S");

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly(
                    "grace: --for: expected a duration of zero or more, got \"PT-5S\" (see 'grace run --help')");
        }

        @Test
        void setWithoutEqualsIsRejected() {
            Result result = grace("run", "--set", "dataDir");

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).singleElement().asString().startsWith("grace: ").contains("KEY=VALUE");
        }

        @Test
        void missingCommandIsAUsageError() {
            Result result = grace();

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("grace: missing a command: plugins or run (see 'grace --help')");
        }
    }

    @Nested
    class Configuration {

        @Test
        void unknownKeyInConfigFileIsOneLineAndExitCode2() throws IOException {
            Path yaml = Files.writeString(dir.resolve("config.yaml"), "publisher:\n  latnessLimit: 3h\n");

            Result result = grace("plugins", "--config", yaml.toString());

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("grace: " + yaml + ": unknown key publisher.latnessLimit"
                    + " (known keys under publisher: latenessLimit, rawEvents, rawEventCapacity)");
            assertThat(result.out()).isEmpty();
        }

        @Test
        void badValueFromSetNamesTheFlag() {
            Result result = grace("run", "--no-http", "--for", "0s", "--set", "publisher.latenessLimit=soon");

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("grace: --set: publisher.latenessLimit: expected a duration"
                    + " such as 30s, 2h or PT2H, got \"soon\"");
        }

        @Test
        void unknownGraceVariableIsRejected() {
            Result result = grace(Map.of("GRACE_DATADIR", "x"), "plugins");

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).singleElement().asString()
                    .startsWith("grace: GRACE_DATADIR: unknown configuration variable (known: GRACE_DATA_DIR,");
        }

        @Test
        void configFileComesFromGraceConfigWhenNoFlagNamesIt() throws IOException {
            Path yaml = Files.writeString(dir.resolve("grace.yaml"), "nodeId: 42\n");

            Result result = grace(Map.of("GRACE_CONFIG", yaml.toString()), "plugins");

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("grace: " + yaml + ": nodeId: expected text, got 42");
        }

        @Test
        void missingConfigFile() {
            Result result = grace("plugins", "--config", dir.resolve("nope.yaml").toString());

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("grace: " + dir.resolve("nope.yaml") + ": no such file");
        }
    }

    @Nested
    class Plugins {

        @Test
        void jsonListsEveryDiscoveredPluginWithItsKpis() throws IOException {
            Result result = grace("plugins", "--json", "--plugins-dir", dir.toString());

            assertThat(result.exitCode()).isZero();
            JsonNode plugins = new ObjectMapper().readTree(result.out()).get("plugins");
            assertThat(plugins).extracting(p -> p.get("id").asText()).contains("example", "probe", "faulty", "future");
            JsonNode probe = find(plugins, "probe");
            assertThat(probe.get("domain").asText()).isEqualTo("testing");
            assertThat(probe.get("version").asText()).isEqualTo("1.0.0");
            assertThat(probe.get("state").asText()).isEqualTo("DISCOVERED");
            assertThat(probe.get("cause").isNull()).isTrue();
            assertThat(probe.get("source").asText()).isEqualTo("classpath");
            assertThat(probe.get("kpis").get(0).get("name").asText()).isEqualTo("latency_ms");
            assertThat(probe.get("kpis").get(0).get("unit").asText()).isEqualTo("MILLISECONDS");
            assertThat(probe.get("kpis").get(0).get("direction").asText()).isEqualTo("LOWER_IS_BETTER");
            JsonNode future = find(plugins, "future");
            assertThat(future.get("state").asText()).isEqualTo("FAILED");
            assertThat(future.get("cause").asText()).contains("[9,10)");
        }

        @Test
        void tableShowsPluginsKpisAndCauses() {
            Result result = grace("plugins");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out())
                    .containsPattern("(?m)^probe +testing +1\\.0\\.0 +DISCOVERED +classpath$")
                    .containsPattern("(?m)^ {4}latency_ms +milliseconds +lower is better$")
                    .containsPattern("(?m)^future +testing +9\\.0\\.0 +FAILED +classpath$")
                    .containsPattern("(?m)^ {4}cause: .*\\[9,10\\)");
        }

        @Test
        void aPluginsDirectoryJarShowsItsPathAndARefusedOneWhy() {
            Path plugins = dir.resolve("plugins");
            PluginJar.builder().source("com.a.Ok", okPlugin("com.a", "Ok", "jarred")).register("com.a.Ok")
                    .build(plugins.resolve("jarred.jar"));
            PluginJar.builder().source("com.b.Bad", okPlugin("com.b", "Bad", "coupled")
                            .replace("// extra", "int x() { return dev.grace.runtime.internal.discovery.VersionRange.parse(\"1\").hashCode(); }"))
                    .register("com.b.Bad").manifest("Grace-Plugin-Id", "coupled").build(plugins.resolve("coupled.jar"));

            Result result = grace("plugins", "--plugins-dir", plugins.toString());

            assertThat(result.exitCode()).isZero();
            assertThat(result.out())
                    .containsPattern("(?m)^jarred +jarred +1\\.0\\.0 +DISCOVERED +" + java.util.regex.Pattern.quote(
                            plugins.resolve("jarred.jar").toString()) + "$")
                    .containsPattern("(?m)^coupled +FAILED +.*coupled\\.jar$")
                    .contains("    cause: refused: plugin coupled references classes a plugin may not use: com.b.Bad"
                            + " references dev.grace.runtime.internal.discovery.VersionRange (denied: dev.grace.runtime.internal)");
        }

        private static JsonNode find(JsonNode plugins, String id) {
            for (JsonNode p : plugins) {
                if (p.get("id").asText().equals(id)) {
                    return p;
                }
            }
            throw new AssertionError("no plugin " + id + " in " + plugins);
        }
    }

    static String okPlugin(String pkg, String cls, String id) {
        return """
                package %s;
                import dev.grace.api.*;
                import java.util.List;
                public final class %s implements DomainPlugin {
                    public PluginInfo info() { return PluginInfo.builder("%s").domain("%s").version("1.0.0").build(); }
                    public List<Kpi> kpis() { return List.of(); }
                    public void start(PluginContext c) { }
                    // extra
                }
                """.formatted(pkg, cls, id, id);
    }

    @Nested
    class Verify {

        @Test
        void anAcceptableJarExitsZeroNamingItsProviders() {
            Path jar = PluginJar.builder().source("com.a.Ok", okPlugin("com.a", "Ok", "fine")).register("com.a.Ok")
                    .manifest("Grace-Plugin-Id", "fine").manifest("Grace-Api-Range", "[0.1,1)")
                    .build(dir.resolve("fine.jar"));

            Result result = grace("plugins", "verify", jar.toString());

            assertThat(result.exitCode()).isZero();
            assertThat(result.out().lines()).containsExactly("plugin fine (" + jar + "): ok", "    providers: com.a.Ok");
        }

        @Test
        void aJarThatWouldBeRefusedExitsOneWithEveryReason() throws IOException {
            Path jar = PluginJar.builder().source("com.a.Ok", okPlugin("com.a", "Ok", "old")).register("com.a.Ok")
                    .manifest("Grace-Plugin-Id", "old").manifest("Grace-Api-Range", "[9,10)")
                    .build(dir.resolve("old.jar"));

            Result text = grace("plugins", "verify", jar.toString());
            Result json = grace("plugins", "verify", "--json", jar.toString());

            assertThat(text.exitCode()).isEqualTo(1);
            assertThat(text.out().lines()).containsExactly("plugin old (" + jar + "): would be refused",
                    "    refused: plugin old needs grace-api [9,10) but this runtime provides "
                            + dev.grace.api.GraceApi.version());
            assertThat(json.exitCode()).isEqualTo(1);
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertThat(doc.get("verdict").asText()).isEqualTo("refused");
            assertThat(doc.get("pluginId").asText()).isEqualTo("old");
            assertThat(doc.get("refusals").get(0).asText()).contains("[9,10)");
        }

        @Test
        void theDenyListComesFromTheConfiguration() {
            Path jar = PluginJar.builder().source("com.a.Ok", okPlugin("com.a", "Ok", "rand")
                            .replace("// extra", "double r() { return java.util.concurrent.ThreadLocalRandom.current().nextDouble(); }"))
                    .register("com.a.Ok").build(dir.resolve("rand.jar"));

            assertThat(grace("plugins", "verify", jar.toString()).exitCode()).isZero();
            Result result = grace("plugins", "verify", "--set", "vetting.deny=java.util.concurrent", jar.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).contains("refused: rand.jar references classes a plugin may not use: com.a.Ok"
                    + " references java.util.concurrent.ThreadLocalRandom (denied: java.util.concurrent)");
        }

        @Test
        void aPathThatIsNoPluginIsBadUsage() {
            Result missing = grace("plugins", "verify", dir.resolve("nope.jar").toString());
            Result none = grace("plugins", "verify");

            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.errLines()).containsExactly("grace: " + dir.resolve("nope.jar") + ": no such file or directory");
            assertThat(none.exitCode()).isEqualTo(2);
            assertThat(none.err()).contains("Missing required parameter: 'PATH'");
        }
    }

    @Nested
    class Run {

        @Test
        void runForADurationPrintsTheSummary() throws IOException {
            Path texts = Files.createDirectory(dir.resolve("texts"));
            Files.writeString(texts.resolve("a.md"), "three short words");

            Result result = grace("run", "--no-http", "--for", "2s", "--data-dir", dir.resolve("data").toString(),
                    "--set", "plugins.example.path=" + texts);

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.err()).isEmpty();
            assertThat(result.out())
                    .containsPattern("^Grace ran for 2\\.\\ds with 4 plugins \\(2 failed, 2 stopped\\)\\.")
                    .contains("  faulty FAILED: start threw java.lang.IllegalStateException: cannot reach its data source")
                    .contains("Domain example:")
                    .containsPattern("(?m)^ +words +\\S+Z +1 +3 +3$")
                    .contains("Domain testing:")
                    .containsPattern("(?m)^ +latency_ms +\\S+Z +3 +20 +\\d+(\\.\\d+)?$")
                    .containsPattern("(?m)^ +hits +- +0 +- +-$")
                    .contains("Rejections by plugin:")
                    .contains("  probe: UNKNOWN_KPI 1, NOT_A_NUMBER 1")
                    .contains("Values accepted: 8, rejected: 2, raw events dropped: 0");
        }

        @Test
        void pluginFailureIsNotACommandError() {
            Result result = grace("run", "--no-http", "--for", "0s", "--data-dir", dir.resolve("data").toString());

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("faulty FAILED: ").contains("cannot reach its data source");
        }

        @Test
        void jsonLogsSwitchLogbackToTheLogstashEncoder() {
            try {
                Result result = grace("run", "--no-http", "--for", "0s", "--json-logs", "--data-dir", dir.resolve("data").toString());

                assertThat(result.exitCode()).isZero();
                assertThat(stderrEncoder()).isInstanceOf(LogstashEncoder.class);
            } finally {
                Logging.configure(Logging.TEXT);
            }
            assertThat(stderrEncoder()).isNotInstanceOf(LogstashEncoder.class);
        }

        private static Object stderrEncoder() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            var appender = (OutputStreamAppender<?>) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
            return appender.getEncoder();
        }
    }
}
