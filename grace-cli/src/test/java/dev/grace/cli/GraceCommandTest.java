package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        @ValueSource(strings = {"", "plugins", "run"})
        void everyCommandHasHelp(String command) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command));
            args.add("--help");

            Result result = grace(args.toArray(String[]::new));

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).startsWith("Usage: grace" + (command.isEmpty() ? "" : " " + command));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "plugins", "run"})
        void everyCommandPrintsTheApiVersion(String command) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command));
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
            Result result = grace("run", "--for", "0s", "--set", "publisher.latenessLimit=soon");

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

        private static JsonNode find(JsonNode plugins, String id) {
            for (JsonNode p : plugins) {
                if (p.get("id").asText().equals(id)) {
                    return p;
                }
            }
            throw new AssertionError("no plugin " + id + " in " + plugins);
        }
    }

    @Nested
    class Run {

        @Test
        void runForADurationPrintsTheSummary() throws IOException {
            Path texts = Files.createDirectory(dir.resolve("texts"));
            Files.writeString(texts.resolve("a.md"), "three short words");

            Result result = grace("run", "--for", "2s", "--data-dir", dir.resolve("data").toString(),
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
            Result result = grace("run", "--for", "0s", "--data-dir", dir.resolve("data").toString());

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("faulty FAILED: ").contains("cannot reach its data source");
        }

        @Test
        void jsonLogsSwitchLogbackToTheLogstashEncoder() {
            try {
                Result result = grace("run", "--for", "0s", "--json-logs", "--data-dir", dir.resolve("data").toString());

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
