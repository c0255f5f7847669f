package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The exit codes are distinct (0 done, 1 problems found, 2 usage, 3 unreachable, 4 unexpected), and
 * {@code grace generate-completion} prints a script that real bash sources and completes from.
 */
class ExitCodeTest {

    @TempDir
    Path dir;

    private static String[] run(CommandLine commandLine, int[] exit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        exit[0] = commandLine.execute(args);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void theCodesAreDistinct() {
        assertThat(List.of(GraceCommand.DONE, GraceCommand.PROBLEMS, GraceCommand.USAGE, GraceCommand.UNREACHABLE,
                GraceCommand.SOFTWARE)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void anUnexpectedFailureExitsFourWithOneLine() {
        CommandLine grace = GraceCommand.commandLine(Map.of());
        grace.addSubcommand("boom", CommandSpec.wrapWithoutInspection(
                (Runnable) () -> { throw new IllegalStateException("the disk caught fire"); }));
        int[] exit = new int[1];

        String err = run(grace, exit, "boom")[1];

        assertThat(exit[0]).isEqualTo(4);
        assertThat(err.lines()).singleElement().asString()
                .isEqualTo("grace: boom failed: java.lang.IllegalStateException: the disk caught fire");
    }

    @Test
    void badUsageExitsTwo() {
        int[] exit = new int[1];

        String err = run(GraceCommand.commandLine(Map.of()), exit, "run", "--for", "soon")[1];

        assertThat(exit[0]).isEqualTo(2);
        assertThat(err).startsWith("grace: --for:");
    }

    @Test
    void theHelpListsGenerateCompletion() {
        int[] exit = new int[1];

        String out = run(GraceCommand.commandLine(Map.of()), exit, "--help")[0];

        assertThat(exit[0]).isZero();
        assertThat(out).containsPattern("(?m)^ +generate-completion +");
    }

    private Path completionScript() throws IOException {
        int[] exit = new int[1];
        String script = run(GraceCommand.commandLine(Map.of()), exit, "generate-completion")[0];
        assertThat(exit[0]).isZero();
        return Files.writeString(dir.resolve("grace_completion"), script);
    }

    @Test
    void bashSourcesTheCompletionScriptAndCompletesCommandsAndFlags() throws Exception {
        Path script = completionScript();

        assertThat(complete("bash", script, "grace pl", 1)).isEqualTo("plugins");
        assertThat(complete("bash", script, "grace plugins verify --j", 3)).isEqualTo("--json");
        assertThat(complete("bash", script, "grace rollups --dom", 2)).isEqualTo("--domain");
        assertThat(complete("bash", script, "grace run --no-", 2).split(" ")).contains("--no-http");
    }

    @Test
    void zshSourcesTheSameScriptThroughBashcompinit() throws Exception {
        boolean zsh = Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh"));
        if ("required".equals(System.getProperty("grace.test.zsh"))) {
            assertThat(zsh).as("zsh is required here (-Dgrace.test.zsh=required) but not installed").isTrue();
        }
        Assumptions.assumeTrue(zsh, "zsh is not installed (apt-get install zsh)");
        Path script = completionScript();

        // zsh filters the candidates by the typed prefix itself; the function offers the subcommand's flags.
        assertThat(complete("zsh", script, "grace rollups --dom", 2).split(" ")).contains("--domain", "--kpi")
                .doesNotContain("plugins", "--no-http");
    }

    /** What the shell's completion function offers for {@code line} with the cursor on word {@code cword}. */
    private static String complete(String shell, Path script, String line, int cword)
            throws IOException, InterruptedException {
        List<String> command = shell.equals("bash")
                ? List.of("bash", "--norc", "--noprofile", "-c", "source '" + script + "'\n"
                        + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; read -r -a COMP_WORDS <<< \"$COMP_LINE\"\n"
                        + "COMP_CWORD=" + cword + "; _complete_grace; echo \"${COMPREPLY[*]}\"\n")
                : List.of("zsh", "-f", "-c", "source '" + script + "'; setopt ksh_arrays\n"
                        + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + line + ")\n"
                        + "COMP_CWORD=" + cword + "; _complete_grace; print -r -- \"${COMPREPLY[*]}\"\n");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
