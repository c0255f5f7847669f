package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.store.PostgresCluster;
import dev.grace.testkit.PluginJar;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code grace run}, with its own logging configuration, on a private PostgreSQL cluster that is
 * stopped with {@code pg_ctl -m immediate} while a busy plugin publishes and started again (issue 14):
 * the outage is a handful of lines with no stack trace in them — HikariCP's WARN for each connection the
 * outage broke included, which carried the driver's whole stack trace — in text and in JSON logs; then a
 * SIGTERM stops it with exit 0 and no ERROR.
 */
class RunDuringOutageLogTest {

    @TempDir
    Path tmp;

    @Test
    void anOutageLogsNoStackTraceInTextLogs() throws Exception {
        Outcome o = runThroughAnOutage(false);
        assertThat(o.stackTraceLines()).as("stack-trace lines on stderr:%n%s", o.stderr()).isEmpty();
        assertThat(o.err.stream().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .*")))
                .as("ERROR lines").isEmpty();
    }

    @Test
    void anOutageLogsNoStackTraceInJsonLogs() throws Exception {
        Outcome o = runThroughAnOutage(true);
        assertThat(o.stackTraceLines()).as("stack-trace lines on stderr:%n%s", o.stderr()).isEmpty();
        assertThat(o.err).as("a stack_trace field").noneMatch(l -> l.contains("\"stack_trace\""));
        assertThat(o.err).as("ERROR lines").noneMatch(l -> l.contains("\"level\":\"ERROR\""));
    }

    private record Outcome(int exit, List<String> err) {
        String stderr() {
            return String.join("\n", err);
        }

        /** Frames, "Caused by:" and "... n more" lines, on their own or escaped inside a JSON line. */
        List<String> stackTraceLines() {
            Predicate<String> frame = l -> l.matches("\\s+at [\\w$.]+\\(.*") || l.startsWith("Caused by: ")
                    || l.matches("\\s+\\.\\.\\. \\d+ (more|common frames omitted)") || l.contains("\\tat ")
                    || l.contains("\\nCaused by: ");
            return err.stream().filter(frame).toList();
        }
    }

    private Outcome runThroughAnOutage(boolean json) throws Exception {
        try (PostgresCluster db = PostgresCluster.startOrSkip()) {
            Path data = tmp.resolve("data");
            Path plugins = tmp.resolve("plugins");
            PluginJar.builder().source(RunSigTermTest.BUSY, RunSigTermTest.BUSY_SOURCE).register(RunSigTermTest.BUSY)
                    .manifest("Grace-Plugin-Id", "busy").manifest("Grace-Api-Range", "[0.1,1)")
                    .build(plugins.resolve("busy.jar"));
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", RunSigTermTest.graceClasspath(), GraceCommand.class.getName(),
                    "run", "--no-http", "--for", "10m", "--data-dir", data.toString(),
                    "--plugins-dir", plugins.toString(), "--no-builtin", "--plugins", "busy",
                    "--set", "store.url=" + db.url(), "--set", "store.flushInterval=100ms"));
            if (json) {
                command.add("--json-logs");
            }
            Process child = new ProcessBuilder(command).directory(RunSigTermTest.workingDirectory(tmp).toFile()).start();
            List<String> out = new CopyOnWriteArrayList<>();
            List<String> err = new CopyOnWriteArrayList<>();
            CountDownLatch running = new CountDownLatch(1);
            Thread outReader = RunSigTermTest.drain(child.getInputStream(), out, null);
            Thread errReader = RunSigTermTest.drain(child.getErrorStream(), err, running);
            try {
                assertThat(running.await(60, TimeUnit.SECONDS)).as("the busy plugin started; stderr:%n%s",
                        String.join("\n", err)).isTrue();
                Thread.sleep(1_000); // publishing, rollups flushed every 100 ms
                db.stopImmediately();
                await(() -> err.stream().anyMatch(l -> l.contains("writing rollups fails")
                        || l.contains("writing raw events fails")), err, "the store logging the outage");
                Thread.sleep(3_000); // the outage goes on: the pool's attempts, the writers' retries
                db.start();
                await(() -> err.stream().anyMatch(l -> l.contains("writing rollups fails no longer")), err,
                        "the store logging the recovery");
                Thread.sleep(1_000);
                child.toHandle().destroy(); // SIGTERM
                assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("grace run exited after SIGTERM").isTrue();
                outReader.join(10_000);
                errReader.join(10_000);
                System.out.printf("grace run%s through a PostgreSQL outage: %d lines on stderr:%n%s%n",
                        json ? " --json-logs" : "", err.size(), String.join("\n", err));
                assertThat(child.exitValue()).as("exit code; stderr:%n%s", String.join("\n", err)).isZero();
                // Logback prints its own status to stdout when its configuration warns (a deprecated
                // attribute did): that would break the summary and --json's one document
                assertThat(out).as("stdout holds no line of the logging library's own").noneMatch(
                        l -> l.contains("ch.qos.logback"));
                return new Outcome(child.exitValue(), List.copyOf(err));
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, List<String> err, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + "; stderr:\n" + String.join("\n", err));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
