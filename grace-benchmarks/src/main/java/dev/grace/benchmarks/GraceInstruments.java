package dev.grace.benchmarks;

import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.config.GraceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
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
        private final LongAdder delivered = new LongAdder();
        private BenchPlugin plugin;
        MetricPublisher publisher;
        /** {@link BenchPlugin#LATENCY_BY_CONNECTOR}'s series for {@link RecordBenchmark#ATTRIBUTES}, bound once. */
        Kpi.Series series;

        /** Whether accepted values are also handed to the raw-event queue. */
        abstract boolean rawEvents();

        @Setup
        public void start() throws IOException {
            dataDir = Files.createTempDirectory("grace-bench-");
            GraceConfig config = GraceConfig.defaults()
                    .withDataDir(dataDir)
                    .withPublisher(new GraceConfig.Publisher(Duration.ofHours(2), rawEvents(), 1 << 16));
            plugin = new BenchPlugin();
            // The runtime queues raw events only when it has somewhere to send them.
            runtime = GraceRuntime.builder().config(config).discoverClasspath(false).plugin(plugin)
                    .rawEventSink(batch -> delivered.add(batch.size()))
                    .build().start();
            if (plugin.context == null) {
                throw new IllegalStateException("the bench plugin was not started; see the runtime's log");
            }
            publisher = plugin.context.publisher();
            series = publisher.series(BenchPlugin.LATENCY_BY_CONNECTOR, RecordBenchmark.ATTRIBUTES);
        }

        @TearDown
        public void close() throws IOException {
            runtime.close();
            // In the fork's output, so a run shows whether values were accepted and raw events kept up.
            PublishStats stats = runtime.stats();
            String id = plugin.info().id();
            System.out.printf("%n[grace] accepted %,d, rejected %s, raw events delivered %,d, dropped %,d%n",
                    stats.accepted(id), stats.rejected(id), delivered.sum(), stats.rawDropped(id));
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
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
}
