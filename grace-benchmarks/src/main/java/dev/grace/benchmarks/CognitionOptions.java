package dev.grace.benchmarks;

import dev.grace.benchmarks.CognitionBenchmark.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@link CognitionBenchmark}'s command line: its usage text, and the options read into {@link Settings}. */
final class CognitionOptions {

    static final String USAGE = """
            usage: CognitionBenchmark [--quick] [options]
              --quick              2 s of warm-up and 5 s measured per call and per endpoint (default: 10 s and 30 s)
              --days D             days of hourly rollups in the data set (default 30)
              --clients N          concurrent HTTP clients (default 50)
              --rate R             the constant-rate part's requests/s per endpoint, over 4 connections
                                   (default 1000; 0 leaves that part out)
              --seconds S          measured time per call and per endpoint
              --warmup-seconds S   warm-up before each, discarded
              --only query|http    one part only (the data set is built either way)
              --out DIR            where the JSON goes (default grace-benchmarks/target)
              --markdown           the tables as Markdown
            """;

    private CognitionOptions() {
    }

    /**
     * Reads the command line: the mode's defaults, then each option given.
     *
     * @throws IllegalArgumentException naming the option and what it takes
     */
    static Settings parse(String... args) {
        boolean quick = List.of(args).contains("--quick");
        int days = 30;
        int clients = 50;
        double rate = 1000;
        Duration warmup = Duration.ofSeconds(quick ? 2 : 10);
        Duration run = Duration.ofSeconds(quick ? 5 : 30);
        boolean query = true;
        boolean http = true;
        Path out = Path.of("grace-benchmarks", "target");
        boolean markdown = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "--markdown" -> markdown = true;
                case "--days" -> days = Options.whole(a, Options.value(args, ++i, a), 1, 366);
                case "--clients" -> clients = Options.whole(a, Options.value(args, ++i, a), 1, 1000);
                case "--rate" -> rate = Options.decimal(a, Options.value(args, ++i, a), 0, 100_000);
                case "--seconds" -> run = Options.seconds(a, Options.value(args, ++i, a));
                case "--warmup-seconds" -> warmup = Options.warmup(a, Options.value(args, ++i, a));
                case "--only" -> {
                    String part = Options.value(args, ++i, a);
                    if (!part.equals("query") && !part.equals("http")) {
                        throw new IllegalArgumentException("--only takes 'query' or 'http', got '" + part + "'");
                    }
                    query = part.equals("query");
                    http = part.equals("http");
                }
                case "--out" -> out = Path.of(Options.value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'; --help lists the options");
            }
        }
        return new Settings(days, clients, rate, warmup, run, query, http, out, markdown, quick ? "quick" : "full");
    }
}
