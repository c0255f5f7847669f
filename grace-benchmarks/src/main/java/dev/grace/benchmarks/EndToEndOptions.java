package dev.grace.benchmarks;

import dev.grace.benchmarks.EndToEndBenchmark.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@link EndToEndBenchmark}'s command line: its usage text, and the options read into {@link Settings}. */
final class EndToEndOptions {

    static final String USAGE = """
            usage: EndToEndBenchmark [--quick] [options]
              --quick              5 s per configuration, heap for 20 s sampled every 5 s (default: 60 s, 5 min every 30 s)
              --threads N          publisher threads (default 2)
              --seconds S          publishing time per ingest configuration
              --paced F            the paced run's rate as a share of the bare insert (default 0.85)
              --capacity C         the raw-event ring's capacity, a power of two (default 65536, the runtime's)
              --warmup-seconds S   warm-up before the ingest runs, discarded (default 10; quick: 1)
              --heap-seconds S     how long the heap run lasts
              --heap-every S       seconds between heap samples; the first sample after 60 s (quick: 5 s) is the 1-minute mark
              --heap-rate R        events per second, all threads together, in the heap run (default 20000)
              --only ingest|heap   one part only
              --out DIR            where the JSON goes (default grace-benchmarks/target)
              --markdown           the tables as Markdown
            """;

    private EndToEndOptions() {
    }

    /**
     * Reads the command line: the mode's defaults, then each option given.
     *
     * @throws IllegalArgumentException naming the option and what it takes
     */
    static Settings parse(String... args) {
        boolean quick = List.of(args).contains("--quick");
        int threads = 2;
        Duration run = Duration.ofSeconds(quick ? 5 : 60);
        Duration warmup = Duration.ofSeconds(quick ? 1 : 10);
        double paced = 0.85;
        int capacity = 1 << 16;
        boolean ingest = true;
        boolean heap = true;
        Duration heapRun = quick ? Duration.ofSeconds(20) : Duration.ofMinutes(5);
        Duration heapEvery = Duration.ofSeconds(quick ? 5 : 30);
        Duration wantedMark = quick ? Duration.ofSeconds(5) : Duration.ofMinutes(1);
        double heapRate = 20_000;
        Path out = Path.of("grace-benchmarks", "target");
        boolean markdown = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "--markdown" -> markdown = true;
                case "--threads" -> threads = Options.whole(a, Options.value(args, ++i, a), 1, 64);
                case "--seconds" -> run = Options.seconds(a, Options.value(args, ++i, a));
                case "--warmup-seconds" -> warmup = Options.warmup(a, Options.value(args, ++i, a));
                case "--paced" -> paced = Options.decimal(a, Options.value(args, ++i, a), 0.01, 10);
                case "--capacity" -> {
                    capacity = Options.whole(a, Options.value(args, ++i, a), 1024, 1 << 30);
                    if (Integer.bitCount(capacity) != 1) {
                        throw new IllegalArgumentException("--capacity must be a power of two of at least 1024, got "
                                + capacity);
                    }
                }
                case "--heap-seconds" -> heapRun = Options.seconds(a, Options.value(args, ++i, a));
                case "--heap-every" -> heapEvery = Options.seconds(a, Options.value(args, ++i, a));
                case "--heap-rate" -> heapRate = Options.decimal(a, Options.value(args, ++i, a), 1, 1e9);
                case "--only" -> {
                    String part = Options.value(args, ++i, a);
                    if (!part.equals("ingest") && !part.equals("heap")) {
                        throw new IllegalArgumentException("--only takes 'ingest' or 'heap', got '" + part + "'");
                    }
                    ingest = part.equals("ingest");
                    heap = part.equals("heap");
                }
                case "--out" -> out = Path.of(Options.value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'; --help lists the options");
            }
        }
        if (heapEvery.compareTo(heapRun) > 0) {
            throw new IllegalArgumentException("--heap-every (" + heapEvery.toMillis() / 1e3 + " s) must not exceed"
                    + " the heap run (" + heapRun.toMillis() / 1e3 + " s)");
        }
        // The first sample at or after the wanted mark; the first sample when the run is shorter.
        long k = Math.max(1, (wantedMark.toMillis() + heapEvery.toMillis() - 1) / heapEvery.toMillis());
        Duration firstMark = heapEvery.multipliedBy(k).compareTo(heapRun) > 0 ? heapEvery : heapEvery.multipliedBy(k);
        return new Settings(threads, run, warmup, paced, capacity, ingest, heap, heapRun, heapEvery, firstMark,
                heapRate, out, markdown, quick ? "quick" : "full");
    }
}
