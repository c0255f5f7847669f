package dev.grace.cli;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.Durations;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import dev.grace.store.StoreExtension;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code grace run}: starts every discovered plugin, runs until SIGTERM, Ctrl-C or {@code --for}
 * elapses, stops them cleanly, prints a summary and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Starts the runtime with every discovered plugin, runs until SIGTERM, Ctrl-C or --for elapses,"
                + " stops cleanly and prints a summary: per domain, each KPI's count, mean and p95 per hour;"
                + " rejections by reason per plugin; raw events dropped; then the status and readiness"
                + " (grace status, grace readiness) of the hours it ran."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Mixin
    PluginChoice choice;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long: 500ms, 30s, 5m, 2h, 7d or ISO-8601 (PT30S). Default: run until SIGTERM or Ctrl-C.")
    Duration duration;

    @Option(names = "--json-logs", description = "Log JSON lines (Logstash format) to stderr instead of text.")
    boolean jsonLogs;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "Where the admin API and dashboard listen (key http.bind). Default: 127.0.0.1:8470;"
                    + " port 0 picks a free one. A non-loopback address needs http.token.")
    String http;

    @Option(names = "--no-http", description = "Do not serve the admin API and dashboard.")
    boolean noHttp;

    @Option(names = "--json", description = "Print the summary as one JSON document when the run ends (every plugin's"
            + " final state and cause, every KPI's count/mean/p95 per hour, rejections by reason, status and"
            + " readiness), and nothing else on stdout.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (jsonLogs) {
            Logging.configure(Logging.JSON);
        }
        if (noHttp && http != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--http and --no-http contradict each other; give one");
        }
        GraceConfig loaded = options.load(grace.env(), choice);
        // grace run serves the admin API unless told not to; embedded hosts keep it off by default.
        GraceConfig config = loaded.withHttp(new HttpConfig(!noHttp, http != null ? http : loaded.http().bind(),
                loaded.http().token()));
        // The store as an instance of our own, to report the rollup values it lost (the discovered one is replaced).
        StoreExtension store = new StoreExtension();
        GraceRuntime runtime = GraceRuntime.builder().config(config).discoverClasspath(choice.builtin())
                .extension(store).build();

        // SIGTERM and Ctrl-C ask this thread to stop; it closes the runtime, the store last, before the
        // JVM shuts down (see StopSignals for why not from a shutdown hook).
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        StopSignals signals = StopSignals.install(stopRequested::countDown);
        // For every other way the JVM shuts down (and the signals, should they not be handled here): the
        // hook asks this thread to stop, waits for it (bounded by the stop timeouts), and closes the
        // runtime itself should this thread not get there. H2's own hook runs at the same moment then.
        Thread hook = new Thread(() -> {
            LOG.info("stopping (the JVM is shutting down)");
            stopRequested.countDown();
            try {
                Duration patience = config.lifecycle().stopTimeout()
                        .multipliedBy(runtime.plugins().size() + 1L).plusSeconds(5);
                finished.await(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                runtime.close();
            }
        }, "grace-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runtime.start();
            runtime.adminEndpoint().filter(url -> !json).ifPresent(url -> {
                spec.commandLine().getOut().println("Dashboard and admin API: " + url + " (POSTs need the token in "
                        + (config.http().token() != null ? "http.token" : config.dataDir().resolve("admin-token")) + ")");
                spec.commandLine().getOut().flush();
            });
            // After start: opening the store (and migrating it) is not running time.
            Instant started = runtime.clock().instant();
            if (duration == null) {
                stopRequested.await();
            } else if (!stopRequested.await(saturatedNanos(duration), TimeUnit.NANOSECONDS)) {
                LOG.info("stopping after {}", Durations.format(duration));
            }
            runtime.close();
            Instant stopped = runtime.clock().instant();
            PrintWriter out = spec.commandLine().getOut();
            RunSummary summary = RunSummary.of(started, stopped, runtime.plugins(), runtime.rollups().all(),
                    runtime.stats(), store.rollupValuesLost());
            if (json) {
                printJson(summary, runtime, config, started, stopped, out);
                return GraceCommand.DONE;
            }
            summary.print(out);
            if (runtime.cognition().isPresent()) {
                printCognition(config, started, stopped, out);
            }
            runtime.storeLocation().ifPresent(where -> out.println("Data stored in " + where));
            return GraceCommand.DONE;
        } finally {
            signals.close(); // in-process callers (tests) get the JVM's handlers back
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running; it finishes on its own
            }
            runtime.close();
        }
    }

    /** {@code --json}: the summary, then the last hour's status and the readiness (null without cognition). */
    private static void printJson(RunSummary summary, GraceRuntime runtime, GraceConfig config, Instant started,
                                  Instant stopped, PrintWriter out) {
        Map<String, Object> doc = summary.json();
        Object status = null;
        Object readiness = null;
        String cognitionError = null;
        if (runtime.cognition().isPresent()) {
            try {
                RunCognition cognition = RunCognition.read(config, started, stopped);
                status = CognitionTables.tree(cognition.hours().get(cognition.hours().size() - 1));
                readiness = CognitionTables.tree(cognition.readiness());
            } catch (RuntimeException e) {
                LOG.warn("reading cognition after the run failed", e);
                cognitionError = e.getMessage();
            }
        }
        doc.put("status", status);
        doc.put("readiness", readiness);
        if (cognitionError != null) {
            doc.put("cognitionError", cognitionError);
        }
        doc.put("store", runtime.storeLocation().orElse(null));
        out.println(CognitionTables.json(doc));
        out.flush();
    }

    /** The run's status and readiness; the run did its work even when they cannot be read, so that is one line. */
    private static void printCognition(GraceConfig config, Instant started, Instant stopped, PrintWriter out) {
        RunCognition cognition;
        try {
            cognition = RunCognition.read(config, started, stopped);
        } catch (RuntimeException e) {
            LOG.warn("reading cognition after the run failed", e);
            out.println();
            out.println("Cognition: cannot read the status and readiness: " + e.getMessage());
            return;
        }
        cognition.print(out);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Reads {@code --for} with the one duration syntax of Grace. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
            if (d.isNegative()) {
                throw new CommandLine.TypeConversionException("expected a duration of zero or more, got \"" + value + "\"");
            }
            return d;
        }
    }
}
