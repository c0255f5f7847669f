package dev.grace.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** Every {@link RecordBenchmark} on two threads recording into one shared instrument or KPI. */
@Threads(2)
public class RecordTwoThreads extends RecordBenchmark {
}
