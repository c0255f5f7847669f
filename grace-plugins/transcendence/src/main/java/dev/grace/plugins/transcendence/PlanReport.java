package dev.grace.plugins.transcendence;

import java.util.List;
import java.util.Optional;

/**
 * How a plan run went.
 *
 * @param plan    the plan's name
 * @param tasks   one report per task, in the order they were considered
 * @param seconds the whole run, from the monotonic timer
 */
public record PlanReport(String plan, List<TaskReport> tasks, double seconds) {

    public PlanReport {
        tasks = List.copyOf(tasks);
    }

    /** Whether every task succeeded or was skipped. */
    public boolean succeeded() {
        return tasks.stream().allMatch(t -> t.outcome() == TaskReport.Outcome.SUCCEEDED
                || t.outcome() == TaskReport.Outcome.SKIPPED);
    }

    /**
     * Tasks that succeeded / tasks not skipped. Empty when every task was skipped: then nothing was
     * attempted, and there is no success rate to report.
     */
    public Optional<Double> taskSuccess() {
        long considered = tasks.stream().filter(t -> t.outcome() != TaskReport.Outcome.SKIPPED).count();
        if (considered == 0) {
            return Optional.empty();
        }
        return Optional.of((double) tasks.stream().filter(t -> t.outcome() == TaskReport.Outcome.SUCCEEDED).count()
                / considered);
    }

    /** Attempts beyond each task's first. */
    public int retries() {
        return tasks.stream().mapToInt(t -> Math.max(0, t.attempts() - 1)).sum();
    }

    /**
     * {@code min(E, A) / max(E, A)} over the tasks that ran, were not skipped and had an estimate, with E the sum of their
     * estimates and A the sum of their actual seconds: 1 when the plan took exactly as long as
     * estimated. Empty when no task that ran had an estimate.
     */
    public Optional<Double> planningAccuracy() {
        double estimated = 0;
        double actual = 0;
        boolean any = false;
        for (TaskReport t : tasks) {
            if (t.attempts() > 0 && t.outcome() != TaskReport.Outcome.SKIPPED && t.estimate().isPresent()) {
                estimated += t.estimate().get();
                actual += t.seconds();
                any = true;
            }
        }
        if (!any || Math.max(estimated, actual) == 0) {
            return Optional.empty();
        }
        return Optional.of(Math.min(estimated, actual) / Math.max(estimated, actual));
    }

    /** The report of task {@code id}. */
    public TaskReport task(String id) {
        return tasks.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no task " + id + " in plan " + plan));
    }
}
