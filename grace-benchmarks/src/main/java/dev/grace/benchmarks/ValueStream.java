package dev.grace.benchmarks;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The values every benchmark records: one fixed, precomputed stream, read by each thread through
 * its own index, so every library sees exactly the same values in the same order and no benchmark
 * can fold a constant.
 *
 * <p>Latencies in milliseconds, log-uniform from 0.1 ms to 10 s. The spread matters: it walks
 * Micrometer's bucket search, OpenTelemetry's exponential bucket index and Grace's DDSketch over
 * five decades instead of hitting one bucket, which would flatter every histogram equally and
 * none of them truthfully.
 */
@State(Scope.Thread)
public class ValueStream {

    private static final int SIZE = 1024; // a power of two, so the index wraps with a mask
    private static final int MASK = SIZE - 1;
    private static final double MIN_MS = 0.1;
    private static final double MAX_MS = 10_000;

    static final double[] MILLIS = new double[SIZE];
    /** The same values in whole microseconds, for Dropwizard, whose histograms take longs. */
    static final long[] MICROS = new long[SIZE];

    static {
        SplittableRandom random = new SplittableRandom(20240917L);
        double logMin = Math.log(MIN_MS);
        double logSpan = Math.log(MAX_MS) - logMin;
        for (int i = 0; i < SIZE; i++) {
            MILLIS[i] = Math.exp(logMin + random.nextDouble() * logSpan);
            MICROS[i] = Math.round(MILLIS[i] * 1000);
        }
    }

    private int index;
    /** A field, not a constant, so the compiler cannot fold the rejection away. */
    private double notANumber = Double.NaN;

    /** The next value, in milliseconds. */
    public double nextMillis() {
        return MILLIS[index++ & MASK];
    }

    /** NaN, which every publisher must reject. */
    public double notANumber() {
        return notANumber;
    }

    /** The next value, in whole microseconds. */
    public long nextMicros() {
        return MICROS[index++ & MASK];
    }
}
