package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code grace cognition} against a real runtime's admin API on loopback, in and out of a pseudo-terminal. */
class CognitionCommandTest {

    @TempDir
    Path dir;

    private GraceRuntime runtime;
    private String url;

    @BeforeEach
    void start() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null));
        runtime = GraceRuntime.builder().config(config).discoverClasspath(false).plugin(new ProbePlugin()).build().start();
        url = runtime.adminEndpoint().orElseThrow().toString();
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private static String[] grace(int[] exit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = GraceCommand.commandLine(Map.of());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        exit[0] = cl.execute(args);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void onceDrawsOneFrameWithTheOverallScoresTheDomainsAndTheNotifications() {
        int[] exit = new int[1];
        String out = grace(exit, "cognition", "--url", url, "--once")[0];

        assertThat(exit[0]).isZero();
        assertThat(out).doesNotContain("\u001b[").as("no terminal: plain lines");
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).startsWith("Grace cognition · " + url).endsWith("runtime up");
        // cognition is wired: the open hour, with no health-bearing value yet
        assertThat(out).containsPattern("Overall  hour \\S+:00:00Z \\(open\\)")
                .contains("  health      [░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░] –")
                .containsPattern("  testing +probe RUNNING")
                .contains("    hits –   latency_ms 20.0 (3)")
                .contains("Notifications");
    }

    @Test
    void statusFromARunningRuntimeListsEveryPluginsState() throws Exception {
        int[] exit = new int[1];
        String json = grace(exit, "status", "--url", url, "--json")[0];
        assertThat(exit[0]).isZero();
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(doc.get("plugins").get(0).get("id").asText()).isEqualTo("probe");
        assertThat(doc.get("plugins").get(0).get("state").asText()).isEqualTo("RUNNING");
        assertThat(doc.get("hour").asText()).endsWith(":00:00Z");

        String text = grace(exit, "status", "--url", url)[0];
        assertThat(exit[0]).isZero();
        assertThat(text).contains("testing").contains("Plugins:\n  probe RUNNING\n");
    }

    @Test
    void anUnreachableRuntimeOrADataDirectoryIsOneLineSayingWhatToDo() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        int[] exit = new int[1];
        String err = grace(exit, "cognition", "--url", "http://127.0.0.1:" + port, "--once")[1];
        assertThat(exit[0]).as("a dependency unreachable").isEqualTo(3);
        assertThat(err.lines()).singleElement().asString().startsWith("grace: cannot reach http://127.0.0.1:" + port)
                .contains("is grace run running?");

        err = grace(exit, "cognition", "--url", "localhost:8470", "--once")[1];
        assertThat(exit[0]).isEqualTo(2);
        assertThat(err).startsWith("grace: --url: expected http://HOST:PORT");

        err = grace(exit, "cognition", "--data-dir", dir.resolve("nowhere").toString(), "--once")[1];
        assertThat(exit[0]).isEqualTo(2);
        assertThat(err).startsWith("grace: --data-dir: ").contains("is not a directory");
    }

    @Test
    void onADataDirectoryItDrawsWhatTheStoreHolds() {
        assertThat(runtime.flushStore(java.time.Duration.ofSeconds(10))).isTrue();
        int[] exit = new int[1];
        String[] outErr = grace(exit, "cognition", "--data-dir", dir.resolve("data").toString(), "--once");
        assertThat(exit[0]).as(outErr[1]).isZero();
        assertThat(outErr[0]).startsWith("Grace cognition · file:").containsPattern("Overall  hour \\S+ \\(open\\)")
                .containsPattern("  testing +stored -").contains("latency_ms 20.0 (3)");
    }

    @Test
    void inATerminalItRedrawsInPlace() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "no /usr/bin/script (util-linux) to give the command a pseudo-terminal");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -cp " + System.getProperty("java.class.path") + " dev.grace.cli.GraceCommand cognition"
                + " --url " + url + " --refresh 200ms";
        Process p = new ProcessBuilder(script.toString(), "-qfec", command, "/dev/null").redirectErrorStream(true).start();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        InputStream in = p.getInputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            while (count(seen.toString(StandardCharsets.UTF_8), CognitionCommand.HOME) < 3 && System.nanoTime() < deadline) {
                byte[] buf = new byte[8192];
                int n = in.available() > 0 ? in.read(buf) : 0;
                if (n > 0) {
                    seen.write(buf, 0, n);
                } else {
                    Thread.sleep(20);
                }
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        String out = seen.toString(StandardCharsets.UTF_8);
        assertThat(count(out, CognitionCommand.HOME)).as(out).isGreaterThanOrEqualTo(3);
        assertThat(count(out, CognitionCommand.CLEAR)).as("the screen is cleared once, then redrawn in place").isEqualTo(1);
        assertThat(out).contains(CognitionCommand.ERASE_LINE).contains(CognitionCommand.ERASE_BELOW)
                .contains("testing").contains("probe RUNNING");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    @Test
    void runPrintsTheDashboardAddress() {
        int[] exit = new int[1];
        String[] outErr = grace(exit, "run", "--http", "127.0.0.1:0", "--for", "0s", "--plugins-dir",
                dir.resolve("none").toString(), "--data-dir", dir.resolve("run").toString());
        assertThat(exit[0]).as(outErr[1]).isZero();
        assertThat(outErr[0]).containsPattern("Dashboard and admin API: http://127\\.0\\.0\\.1:\\d+/ \\(POSTs need the token in .*admin-token\\)");

        String err = grace(exit, "run", "--http", "127.0.0.1:0", "--no-http")[1];
        assertThat(exit[0]).isEqualTo(2);
        assertThat(err).contains("--http and --no-http contradict each other");
    }
}
