package dev.grace.plugins.transcendence;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.grace.plugins.transcendence.TaskReport.Outcome.DEPENDENCY_FAILED;
import static dev.grace.plugins.transcendence.TaskReport.Outcome.FAILED;
import static dev.grace.plugins.transcendence.TaskReport.Outcome.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanRunnerTest {

    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final PlanRunner runner = new PlanRunner(workers);

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    @Test
    void aPlanWhoseWorkersWereShutDownByStopEndsStoppedInsteadOfFailingWithRejectedExecution() {
        workers.shutdownNow(); // what the plugin's stop() does
        Plan plan = new Plan("p", List.of(Task.builder("purge", () -> { }).build()));

        assertThatThrownBy(() -> runner.run(plan)).isInstanceOf(PlanRunner.Stopped.class)
                .hasMessage("stopped before task purge could run");
    }

    @Test
    void aFailingTaskIsRetriedThenFailsItsDependantsButNotIndependentTasks() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger dependantRuns = new AtomicInteger();
        Plan plan = new Plan("p", List.of(
                Task.builder("flaky", () -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("disk full");
                }).retries(2).build(),
                Task.builder("after", dependantRuns::incrementAndGet).dependsOn("flaky").build(),
                Task.builder("last", dependantRuns::incrementAndGet).dependsOn("after").build(),
                Task.builder("independent", () -> { }).build()));

        PlanReport report = runner.run(plan);

        assertThat(attempts).hasValue(3);
        assertThat(dependantRuns).hasValue(0);
        assertThat(report.tasks()).extracting(TaskReport::id, TaskReport::outcome, TaskReport::attempts).containsExactly(
                org.assertj.core.groups.Tuple.tuple("flaky", FAILED, 3),
                org.assertj.core.groups.Tuple.tuple("after", DEPENDENCY_FAILED, 0),
                org.assertj.core.groups.Tuple.tuple("last", DEPENDENCY_FAILED, 0),
                org.assertj.core.groups.Tuple.tuple("independent", SUCCEEDED, 1));
        assertThat(report.task("flaky").cause())
                .isEqualTo("failed after 3 attempts: java.lang.IllegalStateException: disk full");
        assertThat(report.task("last").cause()).isEqualTo("depends on after, which did not run: depends on flaky,"
                + " which failed after 3 attempts: java.lang.IllegalStateException: disk full");
        assertThat(report.retries()).isEqualTo(2);
        assertThat(report.taskSuccess()).contains(0.25);
        assertThat(report.succeeded()).isFalse();
    }

    @Test
    void aSkippedTaskIsNotRetriedDoesNotCountAndDoesNotHoldBackItsDependants() {
        AtomicInteger attempts = new AtomicInteger();
        Plan plan = new Plan("p", List.of(
                Task.builder("optional", () -> {
                    attempts.incrementAndGet();
                    throw new Task.Skipped("the store is off");
                }).retries(3).build(),
                Task.builder("after", () -> { }).dependsOn("optional").build(),
                Task.builder("broken", () -> { throw new IllegalStateException("no"); }).build()));

        PlanReport report = runner.run(plan);

        assertThat(attempts).hasValue(1);
        assertThat(report.tasks()).extracting(TaskReport::id, TaskReport::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("optional", TaskReport.Outcome.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("after", SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("broken", FAILED));
        assertThat(report.task("optional").cause()).isEqualTo("the store is off");
        assertThat(report.taskSuccess()).as("1 of the 2 tasks not skipped").contains(0.5);
        assertThat(report.retries()).isZero();

        PlanReport allSkipped = runner.run(new Plan("q", List.of(
                Task.builder("only", () -> { throw new Task.Skipped("nothing to do"); }).build())));
        assertThat(allSkipped.taskSuccess()).as("nothing attempted, no rate").isEmpty();
        assertThat(allSkipped.succeeded()).isTrue();
    }

    @Test
    void aTaskThatSucceedsOnItsSecondAttemptCountsOneRetry() {
        AtomicInteger attempts = new AtomicInteger();
        PlanReport report = runner.run(new Plan("p", List.of(Task.builder("once", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new java.io.IOException("transient");
            }
        }).retries(3).build())));
        assertThat(report.task("once").outcome()).isEqualTo(SUCCEEDED);
        assertThat(report.task("once").attempts()).isEqualTo(2);
        assertThat(report.retries()).isEqualTo(1);
        assertThat(report.taskSuccess()).contains(1.0);
    }

    @Test
    void anAttemptOverItsTimeoutIsInterruptedAndCountsAsFailed() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        PlanReport report = runner.run(new Plan("p", List.of(Task.builder("hang", () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
        }).timeout(Duration.ofMillis(50)).retries(1).build())));
        assertThat(report.task("hang").outcome()).isEqualTo(FAILED);
        assertThat(report.task("hang").cause()).isEqualTo("failed after 2 attempts: timed out after PT0.05S");
        assertThat(report.task("hang").seconds()).isGreaterThanOrEqualTo(0.1);
    }

    @Test
    void estimatesComeFromTheTaskOrFromItsEarlierRuns() {
        Plan plan = new Plan("p", List.of(
                Task.builder("known", () -> { }).estimate(Duration.ofSeconds(2)).build(),
                Task.builder("learned", () -> { }).build()));
        PlanReport first = runner.run(plan);
        assertThat(first.task("known").estimate()).contains(2.0);
        assertThat(first.task("learned").estimate()).isEmpty();
        PlanReport second = runner.run(plan);
        assertThat(second.task("learned").estimate()).contains(first.task("learned").seconds());
        assertThat(second.planningAccuracy()).hasValueSatisfying(a -> assertThat(a).isBetween(0.0, 1.0));
    }

    @Test
    void aTaskThatSlowsDownIsMispredictedFromItsPastRunsAndPredictedAgainOnceTheyCatchUp() {
        AtomicLong millis = new AtomicLong(20);
        Plan plan = new Plan("p", List.of(Task.builder("work", () -> sleep(millis.get())).build()));
        for (int i = 0; i < PlanRunner.PAST_RUNS; i++) {
            runner.run(plan);
        }
        double steady = runner.run(plan).planningAccuracy().orElseThrow();
        assertThat(steady).as("same work as its past runs").isGreaterThan(0.6);

        millis.set(200); // the work degrades: ten times slower than every run the estimate knows
        double slowed = runner.run(plan).planningAccuracy().orElseThrow();
        assertThat(slowed).as("predicted from the fast runs").isLessThan(0.3);

        runner.run(plan);
        runner.run(plan); // three of the last five runs are slow now: their median is a slow one
        double caughtUp = runner.run(plan).planningAccuracy().orElseThrow();
        assertThat(caughtUp).as("the past runs caught up").isGreaterThan(0.6);
    }

    @Test
    void anEstimateIsTheMedianOfTheLastFiveRuns() {
        assertThat(PlanRunner.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(PlanRunner.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void plansAreCheckedWhenBuilt() {
        Task.Work nothing = () -> { };
        assertThatThrownBy(() -> new Plan("p", List.of(Task.builder("a", nothing).dependsOn("b").build(),
                Task.builder("b", nothing).dependsOn("c").build(), Task.builder("c", nothing).dependsOn("b").build())))
                .hasMessage("plan p has a dependency cycle: b -> c -> b");
        assertThatThrownBy(() -> new Plan("p", List.of(Task.builder("a", nothing).dependsOn("zzz").build())))
                .hasMessage("plan p: task a depends on zzz, which is not a task of the plan [a]");
        assertThatThrownBy(() -> new Plan("p", List.of(Task.builder("a", nothing).build(), Task.builder("a", nothing).build())))
                .hasMessage("plan p declares task a twice");
        assertThat(new Plan("p", List.of(Task.builder("late", nothing).dependsOn("early").build(),
                Task.builder("early", nothing).build(), Task.builder("free", nothing).build())).order())
                .extracting(Task::id).containsExactly("early", "late", "free");
    }
}
