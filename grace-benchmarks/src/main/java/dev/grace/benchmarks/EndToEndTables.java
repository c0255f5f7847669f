package dev.grace.benchmarks;

import static dev.grace.benchmarks.EndToEndBenchmark.FLAT_BYTES_PER_EVENT;
import static dev.grace.benchmarks.EndToEndBenchmark.FLAT_OUT_RAW;
import static dev.grace.benchmarks.EndToEndBenchmark.PACED_RAW;
import static dev.grace.benchmarks.EndToEndBenchmark.TARGET_RATIO;

import dev.grace.benchmarks.EndToEndBenchmark.BareRun;
import dev.grace.benchmarks.EndToEndBenchmark.HeapRun;
import dev.grace.benchmarks.EndToEndBenchmark.HeapSample;
import dev.grace.benchmarks.EndToEndBenchmark.IngestRun;
import dev.grace.benchmarks.EndToEndBenchmark.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link EndToEndBenchmark}'s report as tables, text or Markdown, with each target's verdict. */
final class EndToEndTables {

    private EndToEndTables() {
    }

    /** The ingest table with the limit and the targets, then the heap samples and their verdict. */
    static String render(Report r, boolean markdown) {
        StringBuilder out = new StringBuilder();
        String bullet = markdown ? "- " : "  ";
        if (!r.ingest().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Configuration", "Threads", "Paced at /s", "Published s", "Accepted", "Accepted/s",
                "Persisted rows/s", "Raw dropped", "Rows after close", "Hour rollups' count", "Accounted for",
                "Rows/commit", "Writer CPU µs/row", "Load"});
            for (IngestRun i : r.ingest()) {
                rows.add(ingestRow(i));
            }
            if (r.bare() != null) {
                BareRun b = r.bare();
                rows.add(new String[] {"bare JDBC batch insert (the limit)", "1", "", "", "", "",
                    ResultTable.throughput(b.rowsPerSecond()), "", count(b.rows()), "", "",
                    count(StoreBenchmark.BATCH), String.format(Locale.ROOT, "%.2f", b.cpuMicrosPerRow()),
                    load(b.loadAverage())});
            }
            out.append(markdown ? ResultTable.markdownTable(rows) : ResultTable.textTable(rows));
            out.append(ingestTargets(r, bullet));
        }
        if (r.heap() != null) {
            HeapRun h = r.heap();
            out.append(String.format(Locale.ROOT, "%nHeap after a full GC, %d threads at a constant %,.0f events/s,"
                    + " raw events on:%n", h.threads(), h.rate()));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"At s", "Events accepted", "Heap used MB", "Full GC"});
            for (HeapSample s : h.samples()) {
                rows.add(new String[] {String.format(Locale.ROOT, s.seconds() == Math.rint(s.seconds()) ? "%.0f" : "%.1f",
                        s.seconds()), count(s.accepted()),
                    String.format(Locale.ROOT, "%.2f", s.heapUsedBytes() / 1e6), s.fullGc() ? "yes" : "NOT SEEN"});
            }
            out.append(markdown ? ResultTable.markdownTable(rows) : ResultTable.textTable(rows));
            out.append(heapVerdict(h, bullet));
        }
        return out.toString();
    }

    private static String[] ingestRow(IngestRun i) {
        return new String[] {
            i.name(),
            Integer.toString(i.threads()),
            i.pacedRate() == 0 ? "flat out" : ResultTable.throughput(i.pacedRate()),
            String.format(Locale.ROOT, "%.1f", i.publishSeconds()),
            count(i.accepted()),
            ResultTable.throughput(i.acceptedPerSecond()),
            i.rawEvents() ? ResultTable.throughput(i.persistedPerSecond()) : "rollups only",
            count(i.rawDropped()),
            count(i.rows()),
            count(i.rollupCount()),
            i.accountedFor() ? (i.lost() == 0 ? "yes, zero loss" : "yes, " + count(i.lost()) + " dropped") : "NO",
            i.rawEvents() ? String.format(Locale.ROOT, "%.0f", i.rowsPerBatch()) : "",
            i.rawEvents() ? String.format(Locale.ROOT, "%.2f", i.drainerMicrosPerRow()) : "",
            load(i.loadAverage()),
        };
    }

    private static String ingestTargets(Report r, String bullet) {
        StringBuilder out = new StringBuilder("\nTargets (persisted rows/s with raw events on ÷ the bare batch insert"
                + " of the same run; zero loss):\n");
        BareRun bare = r.bare();
        IngestRun flat = r.run(FLAT_OUT_RAW);
        IngestRun paced = r.run(PACED_RAW);
        if (flat != null && bare != null) {
            out.append(bullet).append(String.format(Locale.ROOT, "flat out: %.2f × bare (%s vs %s rows/s), %s raw events"
                            + " dropped (%.1f%% of accepted): the ring's capacity, not the store, decides the loss when"
                            + " publishers outrun the database; not the target's configuration%n",
                    flat.persistedPerSecond() / bare.rowsPerSecond(), ResultTable.throughput(flat.persistedPerSecond()),
                    ResultTable.throughput(bare.rowsPerSecond()), count(flat.rawDropped()),
                    100.0 * flat.rawDropped() / Math.max(1, flat.accepted())));
        }
        if (paced != null && bare != null) {
            double ratio = paced.persistedPerSecond() / bare.rowsPerSecond();
            boolean met = ratio >= TARGET_RATIO && paced.lost() == 0 && paced.accountedFor();
            out.append(bullet).append(String.format(Locale.ROOT, "paced at %s events/s: %.2f × bare (%s rows/s), lost %s;"
                            + " target ≥ %.2f with zero loss: %s%n", ResultTable.throughput(paced.pacedRate()), ratio,
                    ResultTable.throughput(paced.persistedPerSecond()), count(paced.lost()), TARGET_RATIO,
                    met ? "met" : "MISSED" + shortfall(ratio, paced)));
        }
        for (IngestRun i : r.ingest()) {
            if (!i.accountedFor()) {
                out.append(bullet).append(String.format(Locale.ROOT, "%s: NOT ACCOUNTED FOR: accepted %d, record returned"
                                + " true %d, rows %d + dropped %d, hour rollups %d%n", i.name(), i.accepted(), i.returnedTrue(),
                        i.rows(), i.rawDropped(), i.rollupCount()));
            }
        }
        return out.toString();
    }

    private static String shortfall(double ratio, IngestRun paced) {
        List<String> why = new ArrayList<>();
        if (ratio < TARGET_RATIO) {
            why.add(String.format(Locale.ROOT, "%.0f%% below the rate", 100 * (1 - ratio / TARGET_RATIO)));
        }
        if (paced.lost() > 0) {
            why.add(String.format(Locale.ROOT, "%s of %s accepted not persisted (%.2f%%)", count(paced.lost()),
                    count(paced.accepted()), 100.0 * paced.lost() / Math.max(1, paced.accepted())));
        }
        return why.isEmpty() ? "" : " (" + String.join("; ", why) + ")";
    }

    private static String heapVerdict(HeapRun h, String bullet) {
        List<HeapSample> s = h.samples();
        StringBuilder out = new StringBuilder("\nTarget (heap flat under constant load):\n");
        if (s.size() < 2) {
            return out.append(bullet).append("fewer than two samples: nothing to judge\n").toString();
        }
        HeapSample first = s.stream().filter(x -> x.seconds() >= h.firstMarkSeconds() - 1e-9).findFirst().orElseThrow();
        HeapSample last = s.get(s.size() - 1);
        out.append(bullet).append(String.format(Locale.ROOT, "%.0f s → %.0f s: %.2f → %.2f MB (%+.2f MB over %s events);"
                        + " slope from %.0f s on %+.1f kB/min, %+.3f B/event; target < %.1f B/event: %s%n",
                first.seconds(), last.seconds(), first.heapUsedBytes() / 1e6, last.heapUsedBytes() / 1e6,
                (last.heapUsedBytes() - first.heapUsedBytes()) / 1e6, count(last.accepted() - first.accepted()),
                first.seconds(), h.bytesPerMinute() / 1e3, h.bytesPerEvent(), FLAT_BYTES_PER_EVENT,
                h.flat() ? "met" : "MISSED"));
        IngestRun i = h.ingest();
        out.append(bullet).append(String.format(Locale.ROOT, "the run: accepted %s, raw dropped %s, rows after close %s,"
                        + " hour rollups %s: %s%n", count(i.accepted()), count(i.rawDropped()), count(i.rows()),
                count(i.rollupCount()), i.accountedFor() ? (i.lost() == 0 ? "zero loss" : "accounted for") : "NOT ACCOUNTED FOR"));
        return out.toString();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String load(double l) {
        return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", l);
    }
}
