package dev.grace.benchmarks;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.rollup.Stripes;
import dev.grace.testkit.ManualClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The heap a KPI's series cost: 10,000 series (the most one KPI may declare) bound in a running
 * runtime, each with values in its current hour, measured as heap used after a full GC before and
 * after, then again with a second open hour (the previous one, still open for late events), then
 * after a day of hours, when older hours are closed and only the KPI's totals keep them.
 *
 * <pre>{@code java -Xmx1g -cp benchmarks.jar dev.grace.benchmarks.SeriesMemory [series] [threads] [decades]}</pre>
 *
 * {@code threads} is how many threads record into each series (default 1): each thread that
 * records into a series in an hour fills one stripe (cell and sketch) of that hour; at most
 * {@link Stripes#COUNT} on this machine.
 */
public final class SeriesMemory {

    static final Kpi BY_CONNECTOR = Kpi.builder("latency", Kpi.Unit.MILLISECONDS).lowerIsBetter()
            .attribute("connector").maxSeries(Kpi.MAX_SERIES_LIMIT).build();

    /** A plugin with one attributed KPI. */
    public static final class Plugin implements DomainPlugin {
        volatile PluginContext context;

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("series-memory").domain("bench").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(BY_CONNECTOR);
        }

        @Override
        public void start(PluginContext context) {
            this.context = context;
        }
    }

    private SeriesMemory() {
    }

    public static void main(String[] args) throws Exception {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : Kpi.MAX_SERIES_LIMIT;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        double decades = args.length > 2 ? Double.parseDouble(args[2]) : 2;
        Path dir = Files.createTempDirectory("grace-series-memory-");
        ManualClock clock = ManualClock.at("2026-12-02T10:00:00Z");
        GraceConfig config = GraceConfig.defaults().withDataDir(dir)
                .withStore(GraceConfig.Store.defaults().withEnabled(false))
                .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), false, 1 << 10));
        Plugin plugin = new Plugin();
        GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(plugin).build().start();
        MetricPublisher publisher = plugin.context.publisher();

        long before = usedAfterGc();
        List<Kpi.Series> bound = new ArrayList<>(series);
        for (int i = 0; i < series; i++) {
            bound.add(publisher.series(BY_CONNECTOR, "connector", "connector-" + i));
        }
        long boundOnly = usedAfterGc();
        record(bound, threads, decades);
        long oneHour = usedAfterGc();

        clock.advance(Duration.ofHours(1));
        runtime.turnHour();
        record(bound, threads, decades);
        long twoHours = usedAfterGc();
        // a day of hours: the latest hours stay open for late events (latenessLimit 2h), each series
        // keeps its last closed hours, and older hours live on only in the KPI's closed totals
        long[] perHour = new long[24];
        for (int h = 0; h < perHour.length; h++) {
            clock.advance(Duration.ofHours(1));
            runtime.turnHour();
            record(bound, threads, decades);
            perHour[h] = usedAfterGc();
        }

        long accepted = runtime.stats().accepted("series-memory");
        long overflow = runtime.stats().seriesOverflow("series-memory");
        System.out.printf(Locale.ROOT, "series %,d, threads per series %d (stripes per hour %d), values over %.1f decades, accepted %,d, overflow %,d%n",
                series, threads, Stripes.COUNT, decades, accepted, overflow);
        System.out.printf(Locale.ROOT, "bound, before any value:      %,10d B total, %,7d B per series%n",
                boundOnly - before, (boundOnly - before) / series);
        System.out.printf(Locale.ROOT, "one open hour with values:    %,10d B total, %,7d B per series%n",
                oneHour - before, (oneHour - before) / series);
        System.out.printf(Locale.ROOT, "each further open hour:       %,10d B total, %,7d B per series%n",
                twoHours - oneHour, (twoHours - oneHour) / series);
        System.out.printf(Locale.ROOT, "steady state after 26 hours:  %,10d B total, %,7d B per series (after 14 hours: %,d B total)%n",
                perHour[23] - before, (perHour[23] - before) / series, perHour[11] - before);
        runtime.close();
        if (bound.size() != series) {
            throw new AssertionError("keeps the series reachable until measured");
        }
    }

    /** 100 values spread evenly (log scale) over {@code decades} decades from 0.1 ms into every series, from {@code threads} threads each. */
    private static void record(List<Kpi.Series> bound, int threads, double decades) throws InterruptedException {
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                for (Kpi.Series s : bound) {
                    for (int i = 0; i < 100; i++) {
                        if (!s.record(0.1 * Math.pow(10, decades * ((i * 37 + thread) % 100) / 100.0))) {
                            throw new AssertionError("refused: " + s);
                        }
                    }
                }
            });
            list.add(th);
            th.start();
        }
        for (Thread th : list) {
            th.join();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
