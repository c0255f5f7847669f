package dev.grace.runtime.extension;

import dev.grace.api.RuntimeView;
import dev.grace.runtime.cognition.Cognition;
import java.util.List;

/** What the cognition extension offers the runtime, plugins' runtime view and the admin server. */
public interface CognitionService {

    /** Scores, readiness, history and evaluation. */
    Cognition cognition();

    /** The benchmarks, as plugins see them. Never throws: a failure to read is an empty list. */
    List<RuntimeView.BenchmarkView> benchmarks();

    /** Changes a benchmark's threshold from the next evaluated hour; false for an unknown benchmark. */
    boolean setThreshold(String benchmark, double threshold);
}
