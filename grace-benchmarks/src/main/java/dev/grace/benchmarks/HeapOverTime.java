package dev.grace.benchmarks;

import static dev.grace.benchmarks.EndToEndBenchmark.PLUGIN;
import static dev.grace.benchmarks.EndToEndBenchmark.delete;
import static dev.grace.benchmarks.EndToEndBenchmark.loadAverage;
import static dev.grace.benchmarks.LoadDriver.counts;
import static dev.grace.benchmarks.LoadDriver.started;
import static dev.grace.benchmarks.LoadDriver.thread;
import static dev.grace.benchmarks.LoadDriver.threadCpuNanos;

import dev.grace.benchmarks.EndToEndBenchmark.HeapRun;
import dev.grace.benchmarks.EndToEndBenchmark.HeapSample;
import dev.grace.benchmarks.EndToEndBenchmark.IngestRun;
import dev.grace.benchmarks.EndToEndBenchmark.Settings;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PublishStats;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link EndToEndBenchmark}'s heap run: one runtime, raw events on, paced at a constant rate, the
 * heap used after a full GC sampled at a fixed interval. Only a sample taken after a full GC the
 * old-generation collector's count confirms says what the runtime retains.
 */
final class HeapOverTime {

    private HeapOverTime() {
    }

    /** Constant load with raw events on; the heap after a full GC every {@code heapEvery}. */
    static HeapRun run(Path dir, Settings s, PrintStream log) throws Exception {
        log.printf(Locale.ROOT, "heap: %d threads at %,.0f events/s for %d s, a full GC every %d s ...%n", s.threads(),
                s.heapRate(), s.heapRun().toSeconds(), s.heapEvery().toSeconds());
        BenchPlugin plugin = new BenchPlugin();
        LongAdder batches = new LongAdder();
        GraceRuntime runtime = started(dir, true, s.capacity(), plugin, batches);
        List<HeapSample> samples = new ArrayList<>();
        Publishers.Outcome out;
        double load;
        long drained;
        PublishStats stats;
        long drainerCpu;
        try {
            Thread drainer = thread("grace-raw-events");
            long cpu = threadCpuNanos(drainer);
            Publishers.Running running = Publishers.start(plugin.context.publisher(), s.threads(), s.heapRun(),
                    s.heapRate());
            long start = running.startNanos();
            long every = s.heapEvery().toNanos();
            for (long at = every; at <= s.heapRun().toNanos(); at += every) {
                long wait;
                while ((wait = start + at - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long accepted = runtime.stats().accepted(PLUGIN);
                long before = fullCollections();
                System.gc();
                boolean full = fullCollections() > before;
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                HeapSample sample = new HeapSample(at / 1e9, accepted, used, full);
                samples.add(sample);
                log.printf(Locale.ROOT, "  %6.1f s: %,d events, heap after full GC %,.1f MB%s%n", sample.seconds(),
                        accepted, used / 1e6, full ? "" : " (no full GC seen)");
            }
            out = running.await();
            load = loadAverage();
            if (!runtime.awaitRawEvents(Duration.ofMinutes(5))) {
                throw new IllegalStateException("heap run: raw events not committed within 5 minutes after publishing"
                        + " stopped; the store is stuck (see the log above)");
            }
            drained = System.nanoTime();
            drainerCpu = threadCpuNanos(drainer) - cpu;
            stats = runtime.stats();
        } finally {
            runtime.close();
        }
        long[] counts = counts(dir);
        delete(dir);
        IngestRun ingest = new IngestRun("heap run, raw events on, paced", true, s.threads(), s.heapRate(), out.seconds(),
                stats.accepted(PLUGIN), out.returnedTrue(), (drained - out.startNanos()) / 1e9, stats.rawDropped(PLUGIN),
                counts[0], counts[1], batches.sum(), drainerCpu / 1e9, load);
        return new HeapRun(s.threads(), s.heapRate(), s.firstMark().toMillis() / 1e3, samples, ingest);
    }

    /** Collections by the collector that does full GCs (G1 Old Generation, MarkSweep, ...). */
    private static long fullCollections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (name.contains("Old") || name.contains("MarkSweep") || name.contains("Major")) {
                n += Math.max(0, gc.getCollectionCount());
            }
        }
        return n;
    }
}
