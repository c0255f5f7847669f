package dev.grace.benchmarks;

import dev.grace.benchmarks.Curve.Point;
import dev.grace.benchmarks.Curve.Series;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Draws every scale curve of a run: the record curve from JMH's {@code jmh-result.json}
 * ({@link ScaleRecord}: ns/op against KPIs and against threads) and the one-shot curves from
 * {@code scale-result.json} ({@link ScaleBenchmark}). Each curve becomes an SVG plot
 * ({@code <img>/<id>.svg}, replaced on every run) and a Markdown table with the growth each series
 * shows, computed from its points ({@link Curve#growth}); a curve whose benchmark did not run is
 * left out and named as such.
 *
 * <pre>{@code java -cp benchmarks.jar dev.grace.benchmarks.Curves [--img DIR] [--markdown FILE] [--links PREFIX] [--note TEXT] RESULTS_DIR}</pre>
 * ({@code --links img/}: the plots linked as {@code img/<id>.svg}, as docs/benchmarks.md links them;
 * by default relative to the Markdown file.)
 */
public final class Curves {

    /** {@link ScaleRecord}'s JMH result as run.sh writes it, beside the record benchmarks' {@code jmh-result.json}. */
    static final String SCALE_JMH_RESULT = "jmh-scale-result.json";

    private Curves() {
    }

    public static void main(String[] args) throws IOException {
        Path img = Path.of("docs", "img");
        Path markdown = null;
        String note = "";
        String links = null;
        Path dir = Path.of("grace-benchmarks", "target");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--img" -> img = Path.of(Options.value(args, ++i, "--img"));
                case "--markdown" -> markdown = Path.of(Options.value(args, ++i, "--markdown"));
                case "--note" -> note = Options.value(args, ++i, "--note");
                case "--links" -> links = Options.value(args, ++i, "--links");
                default -> {
                    if (args[i].startsWith("-")) {
                        System.err.println("usage: Curves [--img DIR] [--markdown FILE] [--links PREFIX] [--note TEXT]"
                                + " RESULTS_DIR");
                        System.exit(2);
                        return;
                    }
                    dir = Path.of(args[i]);
                }
            }
        }
        List<String> missing = new ArrayList<>();
        List<Curve> curves = read(dir, missing);
        Files.createDirectories(img);
        for (Curve c : curves) {
            Files.writeString(img.resolve(c.id() + ".svg"), SvgPlot.draw(c, note), StandardCharsets.UTF_8);
        }
        String text = render(curves, missing, img, markdown, links);
        if (markdown != null) {
            Files.writeString(markdown, text, StandardCharsets.UTF_8);
        }
        System.out.print(text);
        System.out.printf(Locale.ROOT, "%d plots written to %s%n", curves.size(), img);
    }

    /** The curves the files in {@code dir} hold; what is missing goes to {@code missing}. */
    static List<Curve> read(Path dir, List<String> missing) {
        List<Curve> curves = new ArrayList<>();
        Path jmh = scaleRecordResult(dir);
        try {
            List<Curve> record = Files.exists(jmh) ? record(ResultTable.read(jmh)) : List.of();
            if (record.isEmpty()) {
                missing.add("record ns/op against KPIs and threads: no ScaleRecord result in " + jmh);
            }
            curves.addAll(record);
        } catch (IOException | RuntimeException e) {
            missing.add("record ns/op: " + jmh + " unreadable: " + e.getMessage());
        }
        Path scale = dir.resolve(ScaleBenchmark.RESULT_FILE);
        try {
            if (Files.exists(scale)) {
                curves.addAll(ScaleBenchmark.read(scale).curves());
            } else {
                missing.add("hour turn, flush, heap, status and the 30-day query: no " + scale);
            }
        } catch (IOException | RuntimeException e) {
            missing.add(scale + " unreadable: " + e.getMessage());
        }
        return curves;
    }

    /**
     * Where the last run of {@link ScaleRecord} is: {@code run.sh} runs it on its own into
     * {@value #SCALE_JMH_RESULT} (settings of its own, see run.sh), a JMH-only run with a regex into
     * {@code jmh-result.json}; the newer of the two that exist.
     */
    static Path scaleRecordResult(Path dir) {
        Path own = dir.resolve(SCALE_JMH_RESULT);
        Path shared = dir.resolve(Verdicts.JMH_RESULT);
        try {
            if (Files.exists(own) && (!Files.exists(shared)
                    || Files.getLastModifiedTime(own).compareTo(Files.getLastModifiedTime(shared)) >= 0)) {
                return own;
            }
        } catch (IOException e) {
            return shared;
        }
        return shared;
    }

    /** The record curves from {@link ScaleRecord}'s JMH results: {@code record[kpis=N]} at each thread count. */
    static List<Curve> record(List<ResultTable.Result> results) {
        Map<Integer, List<Point>> byThreads = new TreeMap<>();
        Map<Integer, List<Point>> byKpis = new TreeMap<>();
        Map<Integer, List<Point>> bytes = new TreeMap<>();
        String prefix = ScaleRecord.METHOD + "[kpis=";
        for (ResultTable.Result r : results) {
            if (!r.name().startsWith(prefix) || !r.name().endsWith("]")) {
                continue;
            }
            int kpis = Integer.parseInt(r.name().substring(prefix.length(), r.name().length() - 1));
            byThreads.computeIfAbsent(r.threads(), t -> new ArrayList<>()).add(new Point(kpis, r.nsPerOp()));
            byKpis.computeIfAbsent(kpis, k -> new ArrayList<>()).add(new Point(r.threads(), r.nsPerOp()));
            if (!Double.isNaN(r.bytesPerOp())) {
                bytes.computeIfAbsent(r.threads(), t -> new ArrayList<>()).add(new Point(kpis, r.bytesPerOp()));
            }
        }
        if (byThreads.isEmpty()) {
            return List.of();
        }
        List<Series> againstKpis = new ArrayList<>();
        byThreads.forEach((t, pts) -> againstKpis.add(new Series(t + (t == 1 ? " thread" : " threads"), pts)));
        List<Series> againstThreads = new ArrayList<>();
        byKpis.forEach((k, pts) -> againstThreads.add(new Series(Curve.num(k) + " KPIs", pts)));
        List<Curve> curves = new ArrayList<>(List.of(
                new Curve("scale-record-kpis", "record(), raw events on: ns/op against KPIs", "KPIs", "ns/op", againstKpis),
                new Curve("scale-record-threads", "record(), raw events on: ns/op against threads", "threads", "ns/op",
                        againstThreads)));
        if (!bytes.isEmpty()) { // with -prof gc
            List<Series> alloc = new ArrayList<>();
            bytes.forEach((t, pts) -> alloc.add(new Series(t + (t == 1 ? " thread" : " threads"), pts)));
            curves.add(new Curve("scale-record-alloc", "record(), raw events on: bytes allocated per op against KPIs",
                    "KPIs", "B/op", alloc));
        }
        return curves;
    }

    /** Per curve: a heading, a table (x, one column per series), each series' growth, and the plot. */
    static String render(List<Curve> curves, List<String> missing, Path img, Path markdown, String links) {
        StringBuilder out = new StringBuilder();
        for (Curve c : curves) {
            out.append("#### ").append(c.title()).append("\n\n");
            TreeSet<Double> xs = new TreeSet<>();
            c.series().forEach(s -> s.points().forEach(p -> xs.add(p.x())));
            List<String[]> rows = new ArrayList<>();
            String[] head = new String[c.series().size() + 1];
            head[0] = c.x();
            for (int i = 0; i < c.series().size(); i++) {
                head[i + 1] = c.series().get(i).name() + " (" + c.y() + ")";
            }
            rows.add(head);
            for (double x : xs) {
                String[] row = new String[head.length];
                row[0] = Curve.num(x);
                for (int i = 0; i < c.series().size(); i++) {
                    row[i + 1] = c.series().get(i).points().stream().filter(p -> p.x() == x).findFirst()
                            .map(p -> Curve.num(p.y())).orElse("—");
                }
                rows.add(row);
            }
            out.append(ResultTable.markdownTable(rows)).append('\n');
            for (Series s : c.series()) {
                out.append("- ").append(s.name()).append(": ").append(s.growth()).append('\n');
            }
            Path svg = img.resolve(c.id() + ".svg");
            String link = links != null ? links + c.id() + ".svg"
                    : (markdown == null || markdown.toAbsolutePath().getParent() == null ? svg
                    : relative(markdown.toAbsolutePath().getParent(), svg.toAbsolutePath())).toString().replace('\\', '/');
            out.append("\n![").append(c.title()).append("](").append(link).append(")\n\n");
        }
        for (String m : missing) {
            out.append("- not measured: ").append(m).append('\n');
        }
        return out.toString();
    }

    private static Path relative(Path from, Path to) {
        try {
            return from.relativize(to);
        } catch (IllegalArgumentException e) {
            return to;
        }
    }
}
