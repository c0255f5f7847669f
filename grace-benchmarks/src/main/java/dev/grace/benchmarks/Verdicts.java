package dev.grace.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * Issue 17's targets, each with the ratio measured and its verdict, read from the result files
 * of one {@code run.sh}: JMH's {@code jmh-result.json}, the end-to-end benchmark's
 * {@code e2e-result.json} and the store ingest benchmark's {@value #STORE_RESULT}. A target whose
 * benchmark did not run, or whose file is missing, prints {@code not measured}; nothing here fails
 * a run.
 *
 * <p>{@value #STORE_RESULT}, written by the store ingest benchmark, is one JSON object:
 * <pre>{@code
 * { "commit": "abc1234", "startedAt": "2026-12-02T20:00:00Z", "mode": "quick",
 *   "runs": [
 *     { "vendor": "postgresql",          // or "h2"
 *       "bare": "COPY",                  // what the limit is: "COPY" or "batch insert"
 *       "bareRowsPerSecond": 250000.0,   // the bare write of the same rows into the same schema, same run
 *       "pacedRate": 212500.0,           // the rate the publishers were paced at, values/s
 *       "persistedRowsPerSecond": 210000.0, // rows in metric_events ÷ seconds from first publish to drained
 *       "accepted": 1000000,             // values the runtime accepted
 *       "rows": 1000000,                 // COUNT(*) of metric_events after close
 *       "rawDropped": 0 } ] }            // raw events counted as dropped
 * }</pre>
 * The target is met when {@code persistedRowsPerSecond ÷ bareRowsPerSecond ≥ 0.8}, {@code rows =
 * accepted} and {@code rawDropped = 0}. Without an {@code h2} run there, H2 is judged from
 * {@code e2e-result.json}'s paced run and bare insert.
 *
 * <pre>{@code java -cp benchmarks.jar dev.grace.benchmarks.Verdicts [--markdown] [DIR]}</pre>
 */
public final class Verdicts {

    static final String JMH_RESULT = "jmh-result.json";
    static final String E2E_RESULT = "e2e-result.json";
    static final String STORE_RESULT = "store-ingest-result.json";
    static final String VERDICTS_RESULT = "verdicts.json";

    static final String ROLLUP_ONLY = "graceRecord";
    static final String RAW_EVENTS = "graceRecordRawEvents";
    static final String RING_FULL = "graceRecordRawEventsRingFull";
    static final double STORE_RATIO = 0.8;
    static final double ERROR_SHARE = 0.2;

    private Verdicts() {
    }

    /** What a verdict says. */
    enum Verdict { PASS, MISS, NOT_MEASURED;

        @Override
        public String toString() {
            return this == NOT_MEASURED ? "not measured" : name();
        }
    }

    /**
     * One target.
     *
     * @param target   what is asked, e.g. "raw-events record ÷ rollup-only record, 1 thread ≤ 1.5"
     * @param measured the figures the ratio is taken from, or why there are none
     * @param ratio    the measured ratio (or B/op for the allocation target); NaN when not measured
     */
    record Line(String target, String measured, double ratio, Verdict verdict) {

        static Line notMeasured(String target, String why) {
            return new Line(target, why, Double.NaN, Verdict.NOT_MEASURED);
        }
    }

    public static void main(String[] args) throws IOException {
        boolean markdown = false;
        Path dir = Path.of("grace-benchmarks", "target");
        for (String a : args) {
            if (a.equals("--markdown")) {
                markdown = true;
            } else if (a.startsWith("-")) {
                System.err.println("usage: Verdicts [--markdown] [DIR with " + JMH_RESULT + ", " + E2E_RESULT + ", "
                        + STORE_RESULT + "]");
                System.exit(2);
                return;
            } else {
                dir = Path.of(a);
            }
        }
        List<Line> lines = judge(dir);
        System.out.print(render(lines, markdown));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(VERDICTS_RESULT).toFile(),
                lines);
    }

    /** Every target, judged from the files in {@code dir}. */
    static List<Line> judge(Path dir) {
        List<Line> lines = new ArrayList<>();
        List<ResultTable.Result> jmh;
        String jmhMissing = null;
        try {
            jmh = Files.exists(dir.resolve(JMH_RESULT)) ? ResultTable.read(dir.resolve(JMH_RESULT)) : List.of();
            if (jmh.isEmpty()) {
                jmhMissing = "no " + JMH_RESULT;
            }
        } catch (IOException | RuntimeException e) {
            jmh = List.of();
            jmhMissing = JMH_RESULT + " unreadable: " + e.getMessage();
        }
        lines.addAll(record(jmh, jmhMissing));
        lines.add(store(dir, "postgresql", "PostgreSQL end to end ÷ bare COPY ≥ 0.8, rows = accepted"));
        lines.add(store(dir, "h2", "H2 end to end ÷ bare batch insert ≥ 0.8, rows = accepted"));
        return lines;
    }

    /** The record targets, at each thread count JMH measured. */
    static List<Line> record(List<ResultTable.Result> jmh, String missing) {
        List<Line> lines = new ArrayList<>();
        for (int threads : List.of(1, 2)) {
            String t = threads == 1 ? "1 thread" : threads + " threads";
            Optional<ResultTable.Result> raw = find(jmh, RAW_EVENTS, threads);
            Optional<ResultTable.Result> rollup = find(jmh, ROLLUP_ONLY, threads);
            Optional<ResultTable.Result> full = find(jmh, RING_FULL, threads);
            Optional<ResultTable.Result> peer = jmh.stream()
                    .filter(r -> r.threads() == threads && ResultTable.PEER_HISTOGRAMS.contains(r.name()))
                    .min(Comparator.comparingDouble(ResultTable.Result::nsPerOp));
            String why = missing != null ? missing : "no " + RAW_EVENTS + " at " + t;

            String alloc = "record, raw events on (default config), " + t + ": 0 B/op";
            if (raw.isEmpty() || Double.isNaN(raw.get().bytesPerOp())) {
                lines.add(Line.notMeasured(alloc, raw.isEmpty() ? why : "run without -prof gc"));
            } else {
                double b = raw.get().bytesPerOp();
                lines.add(new Line(alloc, String.format(Locale.ROOT, "%.3f B/op", b), b,
                        b < ResultTable.ZERO_BYTES ? Verdict.PASS : Verdict.MISS));
            }
            lines.add(ratio("raw-events record ÷ rollup-only record, " + t + " ≤ 1.5", raw, rollup, why,
                    "no " + ROLLUP_ONLY + " at " + t, r -> r <= 1.5));
            double peerTarget = ResultTable.TARGET_RATIO.get(threads);
            lines.add(ratio(String.format(Locale.ROOT, "raw-events record ÷ fastest peer histogram, %s ≤ %.2f", t,
                    peerTarget), raw, peer, why, "no peer histogram at " + t, r -> r <= peerTarget));
            lines.add(ratio("ring full ÷ ring accepting, " + t + " ≤ 1.0", full, raw,
                    missing != null ? missing : "no " + RING_FULL + " at " + t, why, r -> r <= 1.0));
            for (String name : List.of(RAW_EVENTS, RING_FULL)) {
                // by name: two missing results are one Optional.empty(), so which one is missing cannot be told from them
                Optional<ResultTable.Result> r = name.equals(RAW_EVENTS) ? raw : full;
                String target = "JMH error bar ÷ score, " + name + ", " + t + " < 0.20";
                if (r.isEmpty() || Double.isNaN(r.get().nsError())) {
                    lines.add(Line.notMeasured(target, r.isEmpty()
                            ? (missing != null ? missing : "no " + name + " at " + t) : "too few iterations for an error"));
                } else {
                    double share = r.get().nsError() / r.get().nsPerOp();
                    lines.add(new Line(target, String.format(Locale.ROOT, "± %.1f of %.1f ns/op", r.get().nsError(),
                            r.get().nsPerOp()), share, share < ERROR_SHARE ? Verdict.PASS : Verdict.MISS));
                }
            }
        }
        return lines;
    }

    private static Optional<ResultTable.Result> find(List<ResultTable.Result> jmh, String name, int threads) {
        return jmh.stream().filter(r -> r.threads() == threads && r.name().equals(name)).findFirst();
    }

    private static Line ratio(String target, Optional<ResultTable.Result> top, Optional<ResultTable.Result> bottom,
                              String topMissing, String bottomMissing, DoublePredicate met) {
        if (top.isEmpty()) {
            return Line.notMeasured(target, topMissing);
        }
        if (bottom.isEmpty()) {
            return Line.notMeasured(target, bottomMissing);
        }
        double r = top.get().nsPerOp() / bottom.get().nsPerOp();
        return new Line(target, String.format(Locale.ROOT, "%s %.1f ns/op ÷ %s %.1f ns/op", top.get().name(),
                top.get().nsPerOp(), bottom.get().name(), bottom.get().nsPerOp()), r, met.test(r) ? Verdict.PASS : Verdict.MISS);
    }

    /** A store target from {@value #STORE_RESULT}; H2 falls back on {@value #E2E_RESULT}. */
    static Line store(Path dir, String vendor, String target) {
        JsonNode run = null;
        String why = "no " + STORE_RESULT;
        try {
            if (Files.exists(dir.resolve(STORE_RESULT))) {
                for (JsonNode r : new ObjectMapper().readTree(dir.resolve(STORE_RESULT).toFile()).path("runs")) {
                    if (vendor.equalsIgnoreCase(r.path("vendor").asText())) {
                        run = r;
                    }
                }
                why = "no " + vendor + " run in " + STORE_RESULT;
            }
        } catch (IOException e) {
            why = STORE_RESULT + " unreadable: " + e.getMessage();
        }
        if (run != null) {
            return storeLine(target, run.path("bare").asText("bare"), number(run, "bareRowsPerSecond"),
                    number(run, "persistedRowsPerSecond"), run.path("accepted").asLong(-1), run.path("rows").asLong(-1),
                    run.path("rawDropped").asLong(-1), STORE_RESULT);
        }
        if (vendor.equals("h2")) {
            try {
                Path e2e = dir.resolve(E2E_RESULT);
                if (Files.exists(e2e)) {
                    JsonNode root = new ObjectMapper().readTree(e2e.toFile());
                    JsonNode bare = root.path("bare");
                    for (JsonNode r : root.path("ingest")) {
                        if (EndToEndBenchmark.PACED_RAW.equals(r.path("name").asText()) && bare.isObject()) {
                            return storeLine(target, "batch insert", number(bare, "rows") / number(bare, "seconds"),
                                    number(r, "rows") / number(r, "drainSeconds"), r.path("accepted").asLong(-1),
                                    r.path("rows").asLong(-1), r.path("rawDropped").asLong(-1), E2E_RESULT);
                        }
                    }
                    why += "; no paced run in " + E2E_RESULT;
                } else {
                    why += " and no " + E2E_RESULT;
                }
            } catch (IOException e) {
                why += "; " + E2E_RESULT + " unreadable: " + e.getMessage();
            }
        }
        return Line.notMeasured(target, why);
    }

    private static Line storeLine(String target, String bare, double bareRate, double rate, long accepted, long rows,
                                  long dropped, String file) {
        if (!(bareRate > 0) || Double.isNaN(rate) || accepted < 0 || rows < 0) {
            return Line.notMeasured(target, file + " lacks the rates or counts");
        }
        double r = rate / bareRate;
        boolean whole = rows == accepted && dropped == 0;
        String measured = String.format(Locale.ROOT, "%s rows/s ÷ %s %s rows/s; rows %,d of %,d accepted, %,d dropped (%s)",
                ResultTable.throughput(rate), bare, ResultTable.throughput(bareRate), rows, accepted, Math.max(0, dropped),
                file);
        return new Line(target, measured, r, r >= STORE_RATIO && whole ? Verdict.PASS : Verdict.MISS);
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() ? v.doubleValue() : Double.NaN;
    }

    /** One row per target: target, verdict, ratio, and what the ratio was taken from. */
    static String render(List<Line> lines, boolean markdown) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Target", "Verdict", "Ratio", "Measured"});
        for (Line l : lines) {
            rows.add(new String[] {l.target(), l.verdict().toString(),
                Double.isNaN(l.ratio()) ? "—" : String.format(Locale.ROOT, "%.3f", l.ratio()), l.measured()});
        }
        long pass = lines.stream().filter(l -> l.verdict() == Verdict.PASS).count();
        long miss = lines.stream().filter(l -> l.verdict() == Verdict.MISS).count();
        String table = markdown ? ResultTable.markdownTable(rows) : ResultTable.textTable(rows);
        return table + String.format(Locale.ROOT, "%d PASS, %d MISS, %d not measured%n", pass, miss,
                lines.size() - pass - miss);
    }
}
