package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.testkit.PluginJar;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code plugins.enabled}, {@code --plugins} and {@code --no-builtin}: a team runs its plugin alone. */
class PluginChoiceTest {

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
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

    private Result run(String... more) {
        String[] args = new String[more.length + 6];
        System.arraycopy(new String[] {"run", "--no-http", "--for", "0s", "--data-dir", dir.resolve("data").toString()},
                0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        return grace(Map.of(), args);
    }

    @Test
    void pluginsFlagStartsOnlyThoseAndListsTheOthersAsDisabled() {
        Result result = run("--plugins", "probe");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .containsPattern("with \\d+ plugins \\(\\d+ stopped, \\d+ disabled\\)")
                .contains("  faulty DISABLED: not in plugins.enabled (probe)")
                .contains("  example DISABLED: not in plugins.enabled (probe)")
                .contains("Domain testing:")
                .doesNotContain("Domain example:")
                .doesNotContain("FAILED");
    }

    @Test
    void theConfigFileAndTheEnvironmentSetPluginsEnabled() throws IOException {
        Path file = Files.writeString(dir.resolve("grace.yaml"), "plugins:\n  enabled: [example]\n");

        Result fromFile = run("--config", file.toString());
        Result fromEnv = grace(Map.of("GRACE_PLUGINS_ENABLED", "probe,example"), "plugins", "--json");

        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(fromFile.out()).contains("  probe DISABLED: not in plugins.enabled (example)")
                .doesNotContain("  example DISABLED");
        assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();
        assertThat(fromEnv.out()).contains("\"cause\" : \"not in plugins.enabled (probe, example)\"");
    }

    @Test
    void aMalformedIdInPluginsEnabledIsBadConfiguration() {
        Result result = run("--set", "plugins.enabled=probe,Bad_Id");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo(
                "grace: --set: plugins.enabled: \"Bad_Id\" is not a plugin id (ids match [a-z][a-z0-9-]{0,63})");
    }

    @Test
    void noBuiltinRunsOnlyThePluginsDirectory() {
        Path plugins = dir.resolve("plugins");
        PluginJar.builder().source("com.acme.Tally", GraceCommandTest.okPlugin("com.acme", "Tally", "tally"))
                .register("com.acme.Tally").build(plugins.resolve("tally.jar"));

        Result result = run("--no-builtin", "--plugins-dir", plugins.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("^Grace ran for \\d+\\.\\ds with 1 plugin \\(1 stopped\\)\\.");
    }
}
