package dev.grace.benchmarks;

import static dev.grace.benchmarks.CognitionBenchmark.METRICS_P95_TARGET_MS;
import static dev.grace.benchmarks.CognitionBenchmark.METRICS_PATH;
import static dev.grace.benchmarks.CognitionBenchmark.STATUS_P95_TARGET_MS;
import static dev.grace.benchmarks.CognitionBenchmark.STATUS_PATH;

import dev.grace.benchmarks.CognitionBenchmark.Call;
import dev.grace.benchmarks.CognitionBenchmark.DataSet;
import dev.grace.benchmarks.CognitionBenchmark.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link CognitionBenchmark}'s report as tables, text or Markdown, with each target's verdict. */
final class CognitionTables {

    private CognitionTables() {
    }

    /** The in-process table, the HTTP table, and the targets with their verdicts. */
    static String render(Report r, boolean markdown) {
        StringBuilder out = new StringBuilder();
        String bullet = markdown ? "- " : "  ";
        DataSet d = r.data();
        out.append(String.format(Locale.ROOT, "Data set: %d domains × %d KPIs, %d days of hourly rollups (%,d hours,"
                        + " %,d hourly rows, %,d rollup rows with days and weeks), %d values per KPI and hour, %,d hours"
                        + " evaluated (%,d benchmark rows, %,d readiness events); H2 file store; built in %.1f s%n",
                d.domains(), d.kpisPerDomain(), d.days(), d.hours(), d.hourRows(), d.allRollupRows(), d.valuesPerHour(),
                d.evaluatedHours(), d.benchmarkRows(), d.readinessEvents(), d.buildSeconds()));
        if (!r.calls().isEmpty()) {
            out.append("\nIn process, one thread, back to back:\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Call", "Calls", "Mean ms", "p50 ms", "p95 ms", "p99 ms", "Max ms"});
            for (Call c : r.calls()) {
                HttpLoad.Latency l = c.latency();
                rows.add(new String[] {c.name(), EndToEndTables.count(l.count()), ms(l.mean()), ms(l.p50()),
                    ms(l.p95()), ms(l.p99()), ms(l.max())});
            }
            out.append(markdown ? ResultTable.markdownTable(rows) : ResultTable.textTable(rows));
        }
        if (!r.http().isEmpty()) {
            HttpLoad.Result first = r.http().get(0);
            out.append(String.format(Locale.ROOT, "%nAdmin HTTP on loopback, %d closed-loop clients on keep-alive"
                    + " connections, %.0f s measured per endpoint:%n", first.clients(), first.seconds()));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Endpoint", "Clients", "Requests", "Requests/s", "p50 ms", "p95 ms", "p99 ms",
                "Max ms", "Errors", "Connections", "Server CPU µs/req", "JVM CPU µs/req"});
            for (HttpLoad.Result h : r.http()) {
                HttpLoad.Latency l = h.latency();
                rows.add(new String[] {"GET " + h.path(), Integer.toString(h.clients()),
                    EndToEndTables.count(h.requests()), String.format(Locale.ROOT, "%,.0f", h.requestsPerSecond()),
                    ms(l.p50()), ms(l.p95()), ms(l.p99()), ms(l.max()), EndToEndTables.count(h.errors()),
                    EndToEndTables.count(h.connections()), String.format(Locale.ROOT, "%,.0f", h.serverCpuMicrosPerRequest()),
                    String.format(Locale.ROOT, "%,.0f", h.processCpuMicrosPerRequest())});
            }
            out.append(markdown ? ResultTable.markdownTable(rows) : ResultTable.textTable(rows));
            out.append("\nTargets (p95 under load, every request answered 200):\n");
            target(out, bullet, r.endpoint(STATUS_PATH), STATUS_P95_TARGET_MS, r.cores());
            target(out, bullet, r.endpoint(METRICS_PATH), METRICS_P95_TARGET_MS, r.cores());
        }
        if (r.paced() != null && !r.paced().isEmpty()) {
            HttpLoad.PacedResult first = r.paced().get(0);
            out.append(String.format(Locale.ROOT, "%nAt a constant rate: %,.0f requests/s over %d keep-alive connections,"
                    + " %.0f s measured per endpoint; latency from each request's intended send time (no coordinated"
                    + " omission); service = from the actual send, for comparison:%n", first.rate(), first.connections(),
                    first.seconds()));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Endpoint", "Rate asked /s", "Requests", "Requests/s", "p50 ms", "p99 ms", "p99.9 ms",
                "Max ms", "Late", "Errors", "Service p99 ms"});
            for (HttpLoad.PacedResult h : r.paced()) {
                HttpLoad.Latency l = h.latency();
                rows.add(new String[] {"GET " + h.path(), String.format(Locale.ROOT, "%,.0f", h.rate()),
                    EndToEndTables.count(h.requests()), String.format(Locale.ROOT, "%,.0f", h.requestsPerSecond()),
                    ms(l.p50()), ms(l.p99()), ms(l.p999()), ms(l.max()), EndToEndTables.count(h.late()),
                    EndToEndTables.count(h.errors()), ms(h.service().p99())});
            }
            out.append(markdown ? ResultTable.markdownTable(rows) : ResultTable.textTable(rows));
        }
        out.append(String.format(Locale.ROOT, "%nLoad average (1 min): %.2f before, %.2f after; %d cores%n",
                r.loadBefore(), r.loadAfter(), r.cores()));
        return out.toString();
    }

    private static void target(StringBuilder out, String bullet, HttpLoad.Result h, double targetMs, int cores) {
        if (h == null) {
            return;
        }
        double p95 = h.latency().p95();
        boolean met = p95 < targetMs && h.errors() == 0;
        String verdict = met ? "met" : String.format(Locale.ROOT, "MISSED (%s)", p95 >= targetMs
                ? String.format(Locale.ROOT, "%.2f ms over, %.2f × the target", p95 - targetMs, p95 / targetMs)
                : h.errors() + " errors");
        out.append(bullet).append(String.format(Locale.ROOT, "GET %s: p95 %.2f ms at %,.0f requests/s; target < %.0f ms:"
                + " %s%n", h.path(), p95, h.requestsPerSecond(), targetMs, verdict));
        // Closed loop: each client waits for its answer, so mean latency = clients ÷ throughput. With the JVM's
        // CPU per request measured, the cores bound throughput, hence the lowest mean latency this load allows.
        double cpuBound = h.processCpuMicrosPerRequest() * h.clients() / Math.max(1, cores);
        // The JVM's CPU time over the wall time: well under the cores means requests waited on something else.
        double busy = h.processCpuSeconds() / h.seconds();
        out.append(bullet.equals("- ") ? "  " : bullet + "  ").append(String.format(Locale.ROOT, "%d clients ÷ %,.0f requests/s = %.2f ms mean (measured"
                        + " %.2f); at %,.0f µs of JVM CPU per request on %d cores, no mean below %.2f ms is possible;"
                        + " the JVM kept %.2f of the %d cores busy%n",
                h.clients(), h.requestsPerSecond(), h.clients() * 1e3 / h.requestsPerSecond(), h.latency().mean(),
                h.processCpuMicrosPerRequest(), cores, cpuBound / 1e3, busy, cores));
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 1 ? "%.3f" : v < 100 ? "%.2f" : "%.1f", v);
    }
}
