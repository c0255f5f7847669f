package dev.grace.benchmarks;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.internal.publish.RawEventColumnSink;
import dev.grace.runtime.internal.publish.RawEventColumns;
import dev.grace.runtime.config.GraceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A started Grace runtime with {@link BenchPlugin} in it, and the publisher the plugin was given:
 * what a plugin author's code holds. {@link Scope#Benchmark}, so several threads publish into the
 * one KPI.
 */
public final class GraceInstruments {

    private GraceInstruments() {
    }

    /** The runtime, started with or without raw events. */
    public abstract static class Running {
        private GraceRuntime runtime;
        private Path dataDir;
        /** Raw events that reached the sink; the sink keeps nothing else, so no store cost is measured. */
        final LongAdder delivered = new LongAdder();
        private BenchPlugin plugin;
        MetricPublisher publisher;
        /** {@link BenchPlugin#LATENCY_BY_CONNECTOR}'s series for {@link RecordBenchmark#ATTRIBUTES}, bound once. */
        Kpi.Series series;

        /** Whether accepted values are also handed to the raw-event queue. */
        abstract boolean rawEvents();

        /**
         * Where raw events go: a columnar sink, as the store's writer is (the drain hands it the
         * ring's reused columns, no object per event), that only counts them and reads their values,
         * so the drain's cost is measured and the database's is not.
         */
        RawEventSink sink() {
            return new RawEventColumnSink() {
                private double checksum;

                @Override
                public void accept(RawEventColumns batch) {
                    for (int i = 0; i < batch.size(); i++) {
                        checksum += batch.value(i) + batch.epochMillis(i);
                    }
                    delivered.add(batch.size());
                }
            };
        }

        @Setup
        public void start() throws IOException {
            dataDir = Files.createTempDirectory("grace-bench-");
            GraceConfig config = GraceConfig.defaults()
                    .withDataDir(dataDir)
                    .withStore(GraceConfig.Store.defaults().withEnabled(false)) // no store extension is attached below
                    .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), rawEvents(), 1 << 16));
            plugin = new BenchPlugin();
            // The runtime queues raw events only when it has somewhere to send them. No extension is
            // discovered: the store on this classpath would be a second sink, and H2 takes tens of
            // thousands of rows a second, so the ring would be full and every offer refused (the
            // RingFull case); here the one sink keeps up, as a store that keeps up would.
            runtime = GraceRuntime.builder().config(config).discoverClasspath(false).discoverExtensions(false).plugin(plugin)
                    .rawEventSink(sink())
                    .build().start();
            if (plugin.context == null) {
                throw new IllegalStateException("the bench plugin was not started; see the runtime's log");
            }
            publisher = plugin.context.publisher();
            series = publisher.series(BenchPlugin.LATENCY_BY_CONNECTOR, RecordBenchmark.ATTRIBUTES);
        }

        @TearDown
        public void close() throws IOException {
            long rawThreadCpu = rawEventThreadCpuNanos(); // before close, which ends the thread
            long deliveredBeforeClose = delivered.sum();
            runtime.close();
            // In the fork's output, so a run shows whether values were accepted and raw events kept up,
            // and what the raw-event thread's drain costs per event in CPU time: on a machine whose
            // cores the publishing threads fill, that time is taken from them.
            PublishStats stats = runtime.stats();
            String id = plugin.info().id();
            long dropped = stats.rawDropped(id);
            System.out.printf("%n[grace] accepted %,d, rejected %s, raw events delivered %,d, dropped %,d (%.2f%% of accepted)%s%n",
                    stats.accepted(id), stats.rejected(id), delivered.sum(), dropped,
                    stats.accepted(id) == 0 ? 0.0 : 100.0 * dropped / stats.accepted(id),
                    rawThreadCpu < 0 || deliveredBeforeClose == 0 ? ""
                            : String.format(", raw-event thread CPU %.1f ns per delivered event",
                                    (double) rawThreadCpu / deliveredBeforeClose));
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** CPU time of the runtime's raw-event thread so far; -1 when there is none or the JVM cannot tell. */
    static long rawEventThreadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return -1;
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("grace-raw-events")) {
                return mx.getThreadCpuTime(t.getId());
            }
        }
        return -1;
    }

    /** Raw events off: a record is the rollup alone (count, sum, min, max, sum of squares, DDSketch). */
    @State(Scope.Benchmark)
    public static class RollupOnly extends Running {
        @Override
        boolean rawEvents() {
            return false;
        }
    }

    /**
     * Raw events on: the rollup plus the hand-off of each value to the raw-event ring, drained by the
     * runtime's raw-event thread into a sink that only counts. When that thread falls behind, the
     * ring fills and offers are refused and counted as drops: that path is measured too.
     */
    @State(Scope.Benchmark)
    public static class WithRawEvents extends Running {
        @Override
        boolean rawEvents() {
            return true;
        }
    }

    /**
     * Raw events on, and a sink that takes its first batch and then holds the raw-event thread until
     * the runtime closes: the ring stays full, so every measured offer is refused and counted as a
     * drop. The refusal must cost no more than an accepted offer.
     */
    @State(Scope.Benchmark)
    public static class RingFull extends Running {
        @Override
        boolean rawEvents() {
            return true;
        }

        @Override
        RawEventSink sink() {
            CountDownLatch closing = new CountDownLatch(1);
            return new RawEventColumnSink() {
                @Override
                public void accept(RawEventColumns batch) throws InterruptedException {
                    closing.await();
                    delivered.add(batch.size());
                }

                @Override
                public void closing() {
                    closing.countDown();
                }
            };
        }
    }
}
