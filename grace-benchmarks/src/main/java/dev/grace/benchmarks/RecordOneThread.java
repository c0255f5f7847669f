package dev.grace.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** Every {@link RecordBenchmark} on one thread: the cost of a record without contention. */
@Threads(1)
public class RecordOneThread extends RecordBenchmark {
}
