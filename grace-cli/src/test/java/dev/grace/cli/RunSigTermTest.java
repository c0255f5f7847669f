package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.store.GraceStore;
import dev.grace.testkit.PluginJar;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real {@code grace run} in a JVM of its own, with every domain plugin {@code grace} ships and a
 * busy plugin jar in its plugins directory, stopped by SIGTERM three times on the same data directory
 * (issues 14 and 21): each stop exits 0 and logs no ERROR, the stored rollups hold every value the
 * busy plugin's {@code record} accepted, and {@code grace verify} finds them equal to the raw events.
 */
class RunSigTermTest {

    static final String BUSY = "dev.grace.it.busy.BusyPlugin";
    static final String BUSY_SOURCE = """
            package dev.grace.it.busy;

            import dev.grace.api.*;
            import java.nio.file.*;
            import java.util.List;
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.locks.LockSupport;

            /** Publishes from a thread of its own until stop(); then writes how many values were accepted. */
            public final class BusyPlugin implements DomainPlugin {
                static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).build();
                private volatile boolean stopping;
                private long accepted;
                private Thread thread;
                private Path dir;

                public PluginInfo info() {
                    return PluginInfo.builder("busy").domain("ops").version("1.0.0").apiRange("[0.1,1)").build();
                }

                public List<Kpi> kpis() {
                    return List.of(LATENCY);
                }

                public void start(PluginContext context) {
                    dir = context.dataDirectory();
                    MetricPublisher publisher = context.publisher();
                    thread = new Thread(() -> {
                        for (int i = 0; !stopping; i++) {
                            if (publisher.record(LATENCY, 1 + i % 500)) {
                                accepted++;
                            }
                            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                        }
                    }, "busy");
                    thread.start();
                }

                public void stop() {
                    stopping = true;
                    try {
                        thread.join();
                        Files.createDirectories(dir);
                        Files.writeString(dir.resolve("accepted"), Long.toString(accepted));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void sigtermStopsGraceRunCleanlyWithExitZeroAndEveryAcceptedValueInTheRollups() throws Exception {
        Path data = tmp.resolve("data");
        Path plugins = tmp.resolve("plugins");
        PluginJar.builder().source(BUSY, BUSY_SOURCE).register(BUSY)
                .manifest("Grace-Plugin-Id", "busy").manifest("Grace-Api-Range", "[0.1,1)")
                .build(plugins.resolve("busy.jar"));
        long accepted = 0;
        for (int cycle = 1; cycle <= 3; cycle++) {
            Run run = runUntilSigterm(data, plugins);
            assertThat(run.exit).as("cycle %d exit code; stderr:%n%s", cycle, run.stderr()).isZero();
            assertThat(run.errors()).as("cycle %d: ERROR lines on stderr", cycle).isEmpty();
            assertThat(run.stdout()).as("cycle %d: the summary", cycle).contains("Data stored in");
            Path count = findAccepted(data);
            long thisRun = Long.parseLong(Files.readString(count).strip());
            Files.delete(count);
            assertThat(thisRun).as("cycle %d: values the busy plugin had accepted", cycle).isPositive();
            accepted += thisRun;

            GraceConfig config = GraceConfig.defaults().withDataDir(data).withPluginsDirs(List.of());
            try (GraceStore store = GraceStore.open(config)) {
                List<PeriodRollup> hours = store.rollups("ops", "latency", Period.HOUR,
                        Instant.now().minus(Duration.ofHours(3)));
                assertThat(hours.stream().mapToLong(PeriodRollup::count).sum())
                        .as("cycle %d: stored rollups %s; this run accepted %d; stdout:%n%s%nstderr:%n%s", cycle, hours,
                                thisRun, run.stdout(), run.stderr())
                        .isEqualTo(accepted);
            }
            CommandLine verify = GraceCommand.commandLine(Map.of());
            java.io.StringWriter verifyOut = new java.io.StringWriter();
            verify.setOut(new java.io.PrintWriter(verifyOut, true));
            verify.setErr(new java.io.PrintWriter(verifyOut, true));
            assertThat(verify.execute("verify", "--data-dir", data.toString()))
                    .as("cycle %d: grace verify said:%n%s", cycle, verifyOut).isZero();
        }
    }

    private static Path findAccepted(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(p -> p.getFileName().toString().equals("accepted")).findFirst()
                    .orElseThrow(() -> new AssertionError("the busy plugin wrote no count under " + data));
        }
    }

    /** Starts {@code grace run}, waits until the busy plugin runs, lets it publish, sends SIGTERM, waits for the exit. */
    private static Run runUntilSigterm(Path data, Path plugins) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", graceClasspath(), GraceCommand.class.getName(),
                "run", "--no-http", "--for", "10m", "--data-dir", data.toString(), "--plugins-dir", plugins.toString(),
                // maintenance back to back, so that a stop lands in a plan run (issue 14)
                "--set", "plugins.transcendence.interval=20ms")
                .directory(workingDirectory(data.getParent()).toFile()).start();
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread outReader = drain(child.getInputStream(), out, null);
        Thread errReader = drain(child.getErrorStream(), err, running);
        try {
            assertThat(running.await(60, TimeUnit.SECONDS)).as("the busy plugin started; stderr:%n%s",
                    String.join("\n", err)).isTrue();
            Thread.sleep(2_000); // publishing
            child.toHandle().destroy(); // SIGTERM
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("grace run exited after SIGTERM").isTrue();
            outReader.join(10_000);
            errReader.join(10_000);
            return new Run(child.exitValue(), List.copyOf(out), List.copyOf(err));
        } finally {
            child.destroyForcibly();
        }
    }

    /** Where the child runs: the example and knowledge plugins read ./docs and ./README.md by default. */
    static Path workingDirectory(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs").resolve("notes.md"), "# Notes\n\nA page to index.\n");
        Files.writeString(dir.resolve("README.md"), "# A project\n");
        return dir;
    }

    static Thread drain(InputStream in, List<String> lines, CountDownLatch running) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (running != null && line.contains("plugin busy (ops 1.0.0) is running")) {
                        running.countDown();
                    }
                }
            } catch (IOException ended) {
                // the child is gone
            }
        }, "grace-run-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * What the {@code grace} command runs with: this module's classpath without its test classes (whose
     * test plugins {@code grace} does not ship), plus the domain plugins that surefire keeps off it.
     */
    static String graceClasspath() throws IOException {
        List<String> entries = new ArrayList<>(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).endsWith(Path.of("target", "test-classes")))
                .map(e -> Path.of(e).toAbsolutePath().toString()).toList());
        try (Stream<Path> modules = Files.list(Path.of("..", "grace-plugins"))) {
            entries.addAll(modules.map(m -> m.resolve("target").resolve("classes")).filter(Files::isDirectory)
                    .map(p -> p.toAbsolutePath().normalize().toString()).sorted().toList());
        }
        return String.join(File.pathSeparator, entries);
    }

    private record Run(int exit, List<String> out, List<String> err) {
        String stdout() {
            return String.join("\n", out);
        }

        String stderr() {
            return String.join("\n", err);
        }

        List<String> errors() {
            return err.stream().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .*"))
                    .collect(Collectors.toList());
        }
    }
}
