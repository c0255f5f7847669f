package dev.grace.benchmarks;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import dev.grace.runtime.store.Period;
import dev.grace.testkit.ManualClock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data set the cognition benchmarks read: 8 domains × 5 KPIs ({@link HostPlugin}) with
 * {@code days} days of hourly rollups in a fresh H2 file store, every hour of them evaluated, in a
 * started runtime serving its admin HTTP API on a free loopback port.
 *
 * <p>Built the way a month of running builds it, only faster: a {@link ManualClock} moves through the
 * days hour by hour, and at each hour the plugins publish {@value #VALUES_PER_HOUR} values per KPI
 * through the publishers they were handed (one every five minutes of the manual clock). Ten minutes
 * into each hour — after the previous hour's 5-minute grace period — the store is flushed and
 * {@code cognition().evaluateDue()} evaluates the hour that ended, as the runtime's own
 * {@code grace-cognition} thread does once a minute. The last hour is the current, open one, with
 * all its values flushed to the store. Raw events are off: nothing here reads them.
 *
 * <p>The values are the workload, not measurements: deterministic functions of domain, hour and
 * sample (a daily cycle, shifted per domain; {@link #value}), plus one bad six-hour stretch in one
 * domain two thirds of the way through, so that benchmarks lose and regain their thresholds and the
 * readiness events, alert counts and trends that {@code status()} reads exist as they would after a
 * real month.
 */
final class CognitionDataSet implements AutoCloseable {

    /** The eight domains Grace ships plugins for. */
    static final List<String> DOMAINS = List.of("core", "federation", "knowledge", "ml", "parliament", "security",
            "temporal", "transcendence");
    /** Per KPI and hour: one value every five minutes. */
    static final int VALUES_PER_HOUR = 12;
    /** The first hour; fixed, so that every run builds the same rows. */
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    /** The domain whose health dips for six hours. */
    static final int DIPPING_DOMAIN = 6;

    private static final long HOUR = 3_600_000L;
    private static final long FIVE_MINUTES = 300_000L;

    final GraceRuntime runtime;
    final Cognition cognition;
    final ManualClock clock;
    final Path dir;
    final int days;
    /** Values the plugins' publishers accepted while building. */
    final long accepted;
    /** Hours {@code evaluateDue()} evaluated while building. */
    final long evaluatedHours;
    /** Wall time the build took. */
    final double buildSeconds;

    private CognitionDataSet(GraceRuntime runtime, ManualClock clock, Path dir, int days, long accepted,
                             long evaluatedHours, double buildSeconds) {
        this.runtime = runtime;
        this.cognition = runtime.cognition().orElseThrow();
        this.clock = clock;
        this.dir = dir;
        this.days = days;
        this.accepted = accepted;
        this.evaluatedHours = evaluatedHours;
        this.buildSeconds = buildSeconds;
    }

    /** The runtime's configuration: H2 file store under {@code dir}, admin HTTP on a free loopback port. */
    static GraceConfig config(Path dir) {
        return GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of()).withNodeId("bench")
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), false, 1 << 16))
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null));
    }

    /**
     * Builds the data set in a fresh runtime under {@code dir} and leaves that runtime running.
     *
     * @throws IllegalStateException when a plugin did not start, a value was refused, the store did
     *                               not flush or an hour was not evaluated: the data set would not be
     *                               the one described
     */
    static CognitionDataSet build(Path dir, int days, PrintStream log) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, got " + days);
        }
        long begin = System.nanoTime();
        ManualClock clock = ManualClock.at(START);
        List<HostPlugin> plugins = new ArrayList<>();
        GraceRuntime.Builder builder = GraceRuntime.builder().config(config(dir)).clock(clock).discoverClasspath(false)
                .evaluate(false).supervise(false);
        for (String domain : DOMAINS) {
            HostPlugin p = new HostPlugin(domain);
            plugins.add(p);
            builder.plugin(p);
        }
        GraceRuntime runtime = builder.build().start();
        try {
            List<MetricPublisher> publishers = new ArrayList<>();
            for (HostPlugin p : plugins) {
                if (p.context == null) {
                    throw new IllegalStateException("host plugin for " + p.domain() + " did not start: " + runtime.plugins());
                }
                publishers.add(p.context.publisher());
            }
            Cognition cognition = runtime.cognition().orElseThrow(() ->
                    new IllegalStateException("cognition is off in this runtime"));
            int hours = days * 24;
            long accepted = 0;
            long evaluated = 0;
            for (int h = 0; h <= hours; h++) { // hour `hours` is the current, open one
                long hourStart = START.toEpochMilli() + h * HOUR;
                for (int k = 0; k < VALUES_PER_HOUR; k++) {
                    clock.set(Instant.ofEpochMilli(hourStart + k * FIVE_MINUTES + 30_000));
                    if (k == 0) {
                        runtime.turnHour();
                    }
                    for (int d = 0; d < plugins.size(); d++) {
                        for (Kpi kpi : HostPlugin.KPIS) {
                            if (!publishers.get(d).record(kpi, value(d, kpi, h, k, hours))) {
                                throw new IllegalStateException("the runtime refused " + kpi.name() + " = "
                                        + value(d, kpi, h, k, hours) + " in " + DOMAINS.get(d) + ": " + runtime.stats());
                            }
                            accepted++;
                        }
                    }
                    if (k == 2 && h > 0) { // 10:30 into the hour: the previous one is past its grace period
                        flush(runtime);
                        cognition.evaluateDue();
                        evaluated++;
                    }
                }
                if (log != null && h > 0 && h % (24 * 5) == 0) {
                    log.printf(Locale.ROOT, "  %d of %d days built%n", h / 24, days);
                }
            }
            flush(runtime); // the current hour's values, so that status() finds them in the store
            Instant lastHour = Instant.ofEpochMilli(START.toEpochMilli() + (hours - 1L) * HOUR);
            if (!cognition.lastEvaluatedHour().equals(java.util.Optional.of(lastHour))) {
                throw new IllegalStateException("expected every hour up to " + lastHour + " evaluated, the last is "
                        + cognition.lastEvaluatedHour());
            }
            long stored = runtime.storedRollups().rollups(DOMAINS.get(0), HostPlugin.ACCURACY.name(), Period.HOUR, START)
                    .size();
            if (stored != hours + 1L || runtime.stats().totalAccepted() != accepted || runtime.stats().totalRejected() != 0) {
                throw new IllegalStateException("the data set is not what it should be: " + stored + " hourly rows of "
                        + (hours + 1) + " for one KPI, accepted " + runtime.stats().totalAccepted() + " of " + accepted
                        + ", rejected " + runtime.stats().totalRejected());
            }
            return new CognitionDataSet(runtime, clock, dir, days, accepted, evaluated, (System.nanoTime() - begin) / 1e9);
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
    }

    private static void flush(GraceRuntime runtime) {
        if (!runtime.flushStore(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the store did not flush within 30 s");
        }
    }

    /**
     * The value plugin {@code d} publishes for {@code kpi} at sample {@code k} of hour {@code h}: a
     * daily cycle shifted per domain, a spread across the hour's samples, and a bad six-hour stretch
     * in {@link #DIPPING_DOMAIN} starting two thirds of the way through.
     */
    static double value(int d, Kpi kpi, int h, int k, int hours) {
        double cycle = Math.sin(2 * Math.PI * (h % 24) / 24.0 + d); // -1..1 over a day
        double spread = (k % 4 - 1.5) / 1.5; // -1..1 across the hour's samples
        int dipFrom = hours * 2 / 3;
        boolean dip = d == DIPPING_DOMAIN && h >= dipFrom && h < dipFrom + 6;
        return switch (kpi.name()) {
            case "accuracy" -> dip ? 0.30 + 0.05 * spread : 0.95 + 0.03 * cycle + 0.01 * spread;
            case "error_rate" -> dip ? 0.40 + 0.05 * spread : 0.03 + 0.02 * cycle + 0.005 * spread;
            case "response_time" -> dip ? 900 + 100 * spread : 170 + 40 * cycle + 20 * spread;
            case "throughput" -> dip ? 10 + 2 * spread : 62 + 6 * cycle + 3 * spread;
            default -> k + d; // events
        };
    }

    /** {@code days} × 24 evaluated hours plus the current one. */
    int hours() {
        return days * 24 + 1;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
