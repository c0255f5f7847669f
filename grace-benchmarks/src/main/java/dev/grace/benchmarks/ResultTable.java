package dev.grace.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Prints one table from a JMH JSON result: each benchmark's cost per operation, its throughput,
 * what it allocates, and its ratio to Grace's {@code record} at the same thread count; then
 * whether Grace meets its hot-path targets.
 *
 * <pre>{@code java -cp benchmarks.jar dev.grace.benchmarks.ResultTable [--markdown] target/jmh-result.json...}</pre>
 */
public final class ResultTable {

    /** The benchmark every other one is compared with. */
    static final String GRACE_RECORD = "graceRecord";

    /** The peers' histogram records: what Grace's record has to beat. The adders are a floor, not a peer. */
    static final Set<String> PEER_HISTOGRAMS = Set.of("otelExponentialHistogram", "micrometerSummary", "dropwizardHistogram");

    /** Grace record's ceiling as a share of the fastest peer histogram, by thread count. */
    static final Map<Integer, Double> TARGET_RATIO = Map.of(1, 0.75, 2, 0.5);

    /** Allocation below this per operation is JMH's measuring noise, not an allocation on the path. */
    static final double ZERO_BYTES = 0.1;

    /** Grace first, then the peers, then the floor; anything else after them, by name. */
    private static final List<String> ORDER = List.of(GRACE_RECORD, "graceRecordRawEvents", "graceRecordNaN",
            "gracePublishByName", "gracePublishWithMetadata",
            "graceSeriesRecord", "graceSeriesRecordRawEvents", "graceRecordByMap",
            "otelExponentialHistogram", "otelRecordWithAttributes", "micrometerSummary", "micrometerTaggedLookup",
            "dropwizardHistogram", "adders");

    private ResultTable() {
    }

    /**
     * One benchmark at one thread count.
     *
     * @param name      the benchmark method, with its parameters if any, e.g. {@code graceRecord}
     * @param threads   how many threads recorded at once
     * @param nsPerOp   mean time per operation on one thread
     * @param nsError   the 99.9% confidence half-width of {@code nsPerOp}; NaN with too few samples
     * @param opsPerSec operations per second, all threads together
     * @param bytesPerOp bytes allocated per operation ({@code gc.alloc.rate.norm}); NaN without {@code -prof gc}
     */
    record Result(String name, int threads, double nsPerOp, double nsError, double opsPerSec, double bytesPerOp) {
    }

    public static void main(String[] args) throws IOException {
        boolean markdown = false;
        List<Path> files = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--markdown")) {
                markdown = true;
            } else if (!arg.startsWith("-")) {
                files.add(Path.of(arg));
            } else {
                usage(System.err);
                System.exit(2);
            }
        }
        if (files.isEmpty()) {
            usage(System.err);
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        for (Path json : files) {
            results.addAll(read(json));
        }
        System.out.print(render(results, markdown));
    }

    private static void usage(PrintStream out) {
        out.println("usage: ResultTable [--markdown] <jmh-result.json>...");
        out.println("  several files make one table, e.g. the 1-thread and 2-thread halves of separate runs");
    }

    /** Reads JMH's JSON result file ({@code -rf json}). */
    static List<Result> read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(json + " is not a JMH JSON result (expected an array of benchmarks)");
        }
        List<Result> results = new ArrayList<>();
        for (JsonNode b : root) {
            int threads = b.path("threads").asInt(1);
            JsonNode primary = b.path("primaryMetric");
            double score = number(primary.path("score"));
            double error = number(primary.path("scoreError"));
            String unit = primary.path("scoreUnit").asText();
            double nsPerOp;
            double nsError;
            double opsPerSec;
            if (unit.endsWith("/op")) { // avgt, sample, ss: time per operation on one thread
                double toNs = nanosPer(unit.substring(0, unit.length() - 3));
                nsPerOp = score * toNs;
                nsError = error * toNs;
                opsPerSec = threads * 1e9 / nsPerOp;
            } else if (unit.startsWith("ops/")) { // thrpt: operations per time unit, all threads together
                double perNs = 1 / nanosPer(unit.substring(4));
                opsPerSec = score * perNs * 1e9;
                nsPerOp = threads * 1e9 / opsPerSec;
                nsError = nsPerOp * error / score;
            } else {
                throw new IOException("benchmark " + b.path("benchmark").asText() + " has unit '" + unit
                        + "'; expected a time per operation (ns/op) or a throughput (ops/s)");
            }
            JsonNode alloc = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
            if (alloc.isMissingNode()) { // JMH before 1.36 prefixed secondary metrics with a middle dot
                alloc = b.path("secondaryMetrics").path("\u00b7gc.alloc.rate.norm");
            }
            double bytes = alloc.isMissingNode() ? Double.NaN : number(alloc.path("score"));
            results.add(new Result(name(b), threads, nsPerOp, nsError, opsPerSec, bytes));
        }
        return results;
    }

    private static String name(JsonNode b) {
        String full = b.path("benchmark").asText();
        String method = full.substring(full.lastIndexOf('.') + 1);
        JsonNode params = b.path("params");
        if (!params.isObject() || params.isEmpty()) {
            return method;
        }
        StringJoiner joined = new StringJoiner(",", method + "[", "]");
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            joined.add(p.getKey() + "=" + p.getValue().asText());
        }
        return joined.toString();
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            case "hr" -> 3600e9;
            case "day" -> 86400e9;
            default -> throw new IllegalArgumentException("unknown JMH time unit '" + unit + "'");
        };
    }

    /** The table, then one line per target. */
    static String render(List<Result> results, boolean markdown) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(Result::threads).thenComparing(r -> rank(r.name()))
                .thenComparing(Result::name));
        Map<Integer, Result> graceByThreads = new TreeMap<>();
        for (Result r : sorted) {
            if (r.name().equals(GRACE_RECORD)) {
                graceByThreads.put(r.threads(), r);
            }
        }

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Benchmark", "Threads", "ns/op", "± ns/op", "ops/s (all threads)", "B/op", "× Grace record"});
        for (Result r : sorted) {
            Result grace = graceByThreads.get(r.threads());
            rows.add(new String[] {
                r.name(),
                Integer.toString(r.threads()),
                fixed(r.nsPerOp()),
                Double.isNaN(r.nsError()) ? "n/a" : fixed(r.nsError()),
                throughput(r.opsPerSec()),
                Double.isNaN(r.bytesPerOp()) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.bytesPerOp()),
                grace == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r.nsPerOp() / grace.nsPerOp()),
            });
        }
        StringBuilder out = new StringBuilder(markdown ? markdownTable(rows) : textTable(rows));
        out.append(targets(sorted, graceByThreads, markdown ? "- " : "  "));
        return out.toString();
    }

    /** One line per target, each starting with {@code bullet}. */
    private static String targets(List<Result> sorted, Map<Integer, Result> graceByThreads, String bullet) {
        StringBuilder out = new StringBuilder("\nTargets (Grace record ÷ fastest peer histogram, same thread count):\n");
        if (graceByThreads.isEmpty()) {
            return out.append(bullet).append("no " + GRACE_RECORD + " result: nothing to judge\n").toString();
        }
        for (Result grace : graceByThreads.values()) {
            Double target = TARGET_RATIO.get(grace.threads());
            Optional<Result> fastest = sorted.stream()
                    .filter(r -> r.threads() == grace.threads() && PEER_HISTOGRAMS.contains(r.name()))
                    .min(Comparator.comparingDouble(Result::nsPerOp));
            String threads = grace.threads() + (grace.threads() == 1 ? " thread:  " : " threads: ");
            if (fastest.isEmpty()) {
                out.append(bullet).append(threads).append("no peer histogram measured\n");
                continue;
            }
            double ratio = grace.nsPerOp() / fastest.get().nsPerOp();
            out.append(bullet).append(String.format(Locale.ROOT, "%s%.2f × %s (%s ns/op vs %s ns/op)", threads, ratio,
                    fastest.get().name(), fixed(grace.nsPerOp()), fixed(fastest.get().nsPerOp())));
            if (target != null) {
                out.append(String.format(Locale.ROOT, "; target ≤ %.2f: %s", target,
                        ratio <= target ? "met" : "MISSED"));
            }
            out.append('\n');
        }
        for (Result grace : graceByThreads.values()) {
            if (Double.isNaN(grace.bytesPerOp())) {
                out.append(bullet).append("allocation: not measured (run with -prof gc)\n");
                break;
            }
            out.append(bullet).append(String.format(Locale.ROOT, "allocation, %d thread%s: %.3f B/op; target 0: %s\n",
                    grace.threads(), grace.threads() == 1 ? "" : "s", grace.bytesPerOp(),
                    grace.bytesPerOp() < ZERO_BYTES ? "met" : "MISSED"));
        }
        return out.toString();
    }

    private static int rank(String name) {
        int bracket = name.indexOf('[');
        int i = ORDER.indexOf(bracket < 0 ? name : name.substring(0, bracket));
        return i < 0 ? ORDER.size() : i;
    }

    private static String fixed(double ns) {
        return String.format(Locale.ROOT, ns < 100 ? "%.2f" : "%.1f", ns);
    }

    static String throughput(double opsPerSec) {
        if (opsPerSec >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", opsPerSec / 1e9);
        }
        if (opsPerSec >= 1e6) {
            return String.format(Locale.ROOT, "%.1f M", opsPerSec / 1e6);
        }
        if (opsPerSec >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", opsPerSec / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", opsPerSec);
    }

    static String textTable(List<String[]> rows) {
        int[] widths = widths(rows);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            for (int c = 0; c < row.length; c++) {
                // the name left-aligned, numbers right-aligned so their digits line up
                String cell = c == 0 ? pad(row[c], widths[c], false) : pad(row[c], widths[c], true);
                out.append(c == 0 ? "" : "  ").append(cell);
            }
            out.append('\n');
            if (i == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append('\n');
            }
        }
        return out.toString();
    }

    static String markdownTable(List<String[]> rows) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            out.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
            if (i == 0) {
                out.append("|---").append("|---:".repeat(rows.get(i).length - 1)).append("|\n");
            }
        }
        return out.toString();
    }

    private static int[] widths(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].codePointCount(0, row[c].length()));
            }
        }
        return widths;
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(width - s.codePointCount(0, s.length()));
        return right ? spaces + s : s + spaces;
    }
}
