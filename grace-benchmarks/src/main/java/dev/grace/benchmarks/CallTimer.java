package dev.grace.benchmarks;

import dev.grace.benchmarks.CognitionBenchmark.Call;
import dev.grace.benchmarks.CognitionBenchmark.Settings;
import java.io.PrintStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;

/**
 * {@link CognitionBenchmark}'s in-process measurement: one call back to back on one thread, every
 * call's latency recorded, and the floor it is read against, the hour's rollup query with bare JDBC.
 */
final class CallTimer {

    private CallTimer() {
    }

    /** Calls {@code call} back to back for the warm-up, then records each call's latency for the measured time. */
    static Call time(String name, Settings s, Callable<?> call) throws Exception {
        return time(name, s.warmup(), s.run(), call);
    }

    /** Calls {@code call} back to back for {@code warmup}, then records each call's latency for {@code run}. */
    static Call time(String name, Duration warmup, Duration run, Callable<?> call) throws Exception {
        Object last = null;
        long warm = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() - warm < 0) {
            last = call.call();
        }
        Histogram h = HttpLoad.histogram();
        long start = System.nanoTime();
        long until = start + run.toNanos();
        long t0;
        while ((t0 = System.nanoTime()) - until < 0) {
            last = call.call();
            h.recordValue(System.nanoTime() - t0);
        }
        if (last == null) {
            throw new IllegalStateException(name + " returned nothing");
        }
        return new Call(name, (System.nanoTime() - start) / 1e9, HttpLoad.Latency.of(h));
    }

    static Call progress(PrintStream log, Call c) {
        log.printf(Locale.ROOT, "  %s: %,d calls, p50 %.3f ms, p95 %.3f ms%n", c.name(), c.latency().count(),
                c.latency().p50(), c.latency().p95());
        return c;
    }

    /** Runs the hour's rollup query and reads every column, as {@code CognitionDao.hour} does. */
    static int hourRows(PreparedStatement ps, long hour) throws Exception {
        ps.setLong(1, hour);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getString(1);
                rs.getString(2);
                rs.getLong(3);
                rs.getDouble(4);
                rs.getDouble(5);
                rs.getDouble(6);
                rs.getDouble(7);
                rows++;
            }
        }
        if (rows != CognitionDataSet.DOMAINS.size() * HostPlugin.KPIS.size()) {
            throw new IllegalStateException("the hour's rollup query read " + rows + " rows, expected one per KPI");
        }
        return rows;
    }
}
