package dev.grace.benchmarks;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.rollup.Stripes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The record scale curve: {@code record} on a held KPI handle as the number of KPIs a plugin
 * declares grows ({@code kpis} = 10, 1,000, 100,000) and as more threads publish at once
 * ({@link ScaleRecord.OneThread} … {@link ScaleRecord.EightThreads}: 1, 2, 4, 8).
 *
 * <p>The publisher configuration a host gets: {@code GraceConfig.defaults()}, raw events on, the raw
 * events going to a sink that only counts (the store off and no other extension, so no database
 * competes for the cores). Each thread walks the plugin's KPIs in one shuffled order from its own starting point, so
 * consecutive records land in different KPIs' state, scattered over the heap as a busy plugin's are.
 * The threads share the KPIs; with 10 KPIs and 8 threads they contend, with 100,000 they rarely do.
 * Every KPI's hour is warmed before the measurement ({@link Runtime#warm}), so what is measured is a
 * record into an hour under way, not the first record of a KPI's hour, which allocates its state.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public abstract class ScaleRecord {

    /** The benchmark's method name in JMH's results. */
    static final String METHOD = "record";

    /** One plugin with {@code kpis} KPIs in a started runtime, and its KPIs in shuffled order. */
    @State(Scope.Benchmark)
    public static class Runtime {

        @Param({"10", "1000", "100000"})
        public int kpis;

        GraceRuntime runtime;
        MetricPublisher publisher;
        Kpi[] order;
        final LongAdder delivered = new LongAdder();
        final AtomicInteger threads = new AtomicInteger();
        private Path dataDir;

        @Setup(Level.Trial)
        public void start() throws IOException {
            dataDir = Files.createTempDirectory("grace-scale-");
            ScalePlugin plugin = new ScalePlugin("scale", kpis, false);
            runtime = GraceRuntime.builder().config(GraceConfig.defaults().withDataDir(dataDir)
                            .withStore(GraceConfig.Store.defaults().withEnabled(false)))
                    .discoverClasspath(false).discoverExtensions(false).plugin(plugin)
                    .rawEventSink(batch -> delivered.add(batch.size()))
                    .build().start();
            if (plugin.context == null) {
                throw new IllegalStateException("the scale plugin was not started; see the runtime's log");
            }
            publisher = plugin.context.publisher();
            List<Kpi> shuffled = new ArrayList<>(plugin.kpis());
            Collections.shuffle(shuffled, new Random(17));
            order = shuffled.toArray(Kpi[]::new);
            warm();
        }

        /**
         * A KPI's first value in an hour allocates its hour's state (the heap curve measures that), and a
         * stripe's sketch grows as values reach new bins; in a short run at 100,000 KPIs almost every record
         * would be such a first one. So before the measurement one thread per stripe ({@link Stripes#COUNT};
         * the runtime deals stripes round-robin to threads in the order they first record, so these new
         * threads land on every stripe) records the stream's smallest and largest value into every KPI, and
         * the benchmark measures the steady record of an hour under way. (It was 16 threads whatever the
         * stripe count: on 2 cores, 4 stripes, four times the work and ~20 s of each 100,000-KPI run.)
         */
        private void warm() {
            double low = Arrays.stream(ValueStream.MILLIS).min().orElseThrow();
            double high = Arrays.stream(ValueStream.MILLIS).max().orElseThrow();
            List<Thread> warmers = new ArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            for (int t = 0; t < Stripes.COUNT; t++) {
                Thread w = new Thread(() -> {
                    for (Kpi k : order) {
                        if (!publisher.record(k, low) || !publisher.record(k, high)) {
                            refused.incrementAndGet();
                        }
                    }
                }, "scale-warm-" + t);
                warmers.add(w);
                w.start();
            }
            for (Thread w : warmers) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while warming the KPIs", e);
                }
            }
            if (refused.get() > 0) {
                throw new IllegalStateException(refused.get() + " warm-up records refused: " + runtime.stats());
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            runtime.close();
            System.out.printf("%n[grace] %d KPIs: accepted %,d, rejected %s, raw events delivered %,d, dropped %,d%n",
                    kpis, runtime.stats().totalAccepted(), runtime.stats().totalRejected(), delivered.sum(),
                    runtime.stats().totalRawDropped());
            EndToEndBenchmark.delete(dataDir);
        }
    }

    /** A thread's place in the shuffled walk; threads start spread out over it. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void place(Runtime r) {
            next = (int) ((long) r.threads.getAndIncrement() * r.order.length / 8) % r.order.length;
        }

        Kpi kpi(Kpi[] order) {
            Kpi k = order[next];
            next = next + 1 == order.length ? 0 : next + 1;
            return k;
        }
    }

    @Benchmark
    public boolean record(Runtime r, Cursor c, ValueStream values) {
        return r.publisher.record(c.kpi(r.order), values.nextMillis());
    }

    /** One thread. */
    @Threads(1)
    public static class OneThread extends ScaleRecord {
    }

    /** Two threads. */
    @Threads(2)
    public static class TwoThreads extends ScaleRecord {
    }

    /** Four threads. */
    @Threads(4)
    public static class FourThreads extends ScaleRecord {
    }

    /** Eight threads, four per core on the 2-core machine. */
    @Threads(8)
    public static class EightThreads extends ScaleRecord {
    }
}
