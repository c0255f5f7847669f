package dev.grace.plugins.transcendence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs plans: tasks one at a time in {@link Plan#order()}, each attempt on a worker thread so that it
 * can be timed out. A failed or timed-out attempt is retried at once, up to the task's retries; a
 * task that does not succeed fails every task that depends on it, directly or not, without running
 * them. Tasks that do not depend on it still run. Work that throws {@link Task.Skipped} ends its task
 * skipped at once, without retries; its dependants run.
 *
 * <p>Retries do not wait ({@link dev.grace.api.Backoff} is the policy where something does): a
 * task's and a plan's durations are published as KPIs, and a jittered wait inside them would put a
 * random draw into a measured value.
 *
 * <p>Estimates are predictions made before the task runs: a task's own, else the median of its last
 * {@value #PAST_RUNS} successful durations in earlier runs of the plan of the same name by this runner
 * (never the run being predicted). A task whose duration changes is mispredicted until its past runs
 * catch up, which is what {@code planning_accuracy} shows. Calls to {@link #run(Plan)} are serialized.
 */
final class PlanRunner {

    private final ExecutorService workers;
    /** How many past successful runs of a task its estimate is the median of. */
    static final int PAST_RUNS = 5;

    /** plan name + "/" + task id -> seconds of its last successful runs, oldest first. */
    private final Map<String, ArrayDeque<Double>> history = new HashMap<>();

    PlanRunner(ExecutorService workers) {
        this.workers = workers;
    }

    /**
     * Runs {@code plan} to its end.
     *
     * @throws Stopped when the workers were shut down (the plugin is stopping) before every task ran
     */
    synchronized PlanReport run(Plan plan) {
        long started = System.nanoTime();
        List<TaskReport> reports = new ArrayList<>();
        Set<String> notSucceeded = new HashSet<>();
        Map<String, String> why = new HashMap<>();
        for (Task task : plan.order()) {
            Optional<Double> estimate = estimate(plan, task);
            Optional<String> blocked = task.dependsOn().stream().filter(notSucceeded::contains).findFirst();
            if (blocked.isPresent()) {
                notSucceeded.add(task.id());
                String cause = "depends on " + blocked.get() + ", which " + why.get(blocked.get());
                why.put(task.id(), "did not run: " + cause);
                reports.add(new TaskReport(task.id(), TaskReport.Outcome.DEPENDENCY_FAILED, 0, 0, estimate, cause));
                continue;
            }
            int attempts = 0;
            long taskStarted = System.nanoTime();
            String cause = "";
            boolean ok = false;
            boolean skipped = false;
            while (!ok && !skipped && attempts <= task.retries()) {
                attempts++;
                Attempt a = attempt(task);
                cause = a.cause();
                ok = a.cause().isEmpty() && !a.skipped();
                skipped = a.skipped();
            }
            double seconds = (System.nanoTime() - taskStarted) / 1e9;
            if (skipped) {
                reports.add(new TaskReport(task.id(), TaskReport.Outcome.SKIPPED, attempts, seconds, estimate, cause));
            } else if (ok) {
                ArrayDeque<Double> past = history.computeIfAbsent(plan.name() + "/" + task.id(), k -> new ArrayDeque<>());
                past.addLast(seconds);
                if (past.size() > PAST_RUNS) {
                    past.removeFirst();
                }
                reports.add(new TaskReport(task.id(), TaskReport.Outcome.SUCCEEDED, attempts, seconds, estimate, ""));
            } else {
                notSucceeded.add(task.id());
                String full = "failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + cause;
                why.put(task.id(), full);
                reports.add(new TaskReport(task.id(), TaskReport.Outcome.FAILED, attempts, seconds, estimate, full));
            }
        }
        return new PlanReport(plan.name(), reports, (System.nanoTime() - started) / 1e9);
    }

    private Optional<Double> estimate(Plan plan, Task task) {
        if (task.estimate().isPresent()) {
            return Optional.of(task.estimate().get().toNanos() / 1e9);
        }
        ArrayDeque<Double> past = history.get(plan.name() + "/" + task.id());
        return past == null ? Optional.empty() : Optional.of(median(past));
    }

    static double median(Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** How one attempt ended: succeeded when not skipped and the cause is empty. */
    private record Attempt(boolean skipped, String cause) {
        static final Attempt SUCCEEDED = new Attempt(false, "");

        static Attempt failed(String cause) {
            return new Attempt(false, cause);
        }
    }

    /** One attempt. */
    private Attempt attempt(Task task) {
        Future<?> f;
        try {
            f = workers.submit(() -> {
                task.work().run();
                return null;
            });
        } catch (RejectedExecutionException shutDown) {
            throw new Stopped(task.id());
        }
        try {
            f.get(task.timeout().toNanos(), TimeUnit.NANOSECONDS);
            return Attempt.SUCCEEDED;
        } catch (TimeoutException e) {
            f.cancel(true);
            return Attempt.failed("timed out after " + task.timeout());
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Task.Skipped) {
                return new Attempt(true, c.getMessage());
            }
            return Attempt.failed(c.getClass().getName() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return Attempt.failed("interrupted while waiting for the task");
        }
    }

    /** The workers were shut down, the plugin is stopping: the plan ends without a report. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(String task) {
            super("stopped before task " + task + " could run", null, false, false);
        }
    }
}
