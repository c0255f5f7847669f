package dev.grace.plugins.transcendence;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transcendence domain's plugin: an orchestrator that executes plans — DAGs of {@link Task}s with
 * dependencies, retries and timeouts — and publishes how each run went. On a schedule it runs the
 * runtime's own store maintenance ({@link MaintenancePlan}: retention purge, verify of the last closed
 * hour, backup); a host that built the plugin itself submits its own plans with {@link #submit(Plan)}.
 *
 * <p>Config ({@code plugins.transcendence.*}): {@code interval} ({@code 10s}, between maintenance
 * runs), {@code timeout} ({@code 30s}, per attempt of a maintenance task), {@code retries} ({@code 2}),
 * {@code backupInterval} ({@code 1h}, the least time between two backups). See {@code docs/plugins.md}.
 */
public final class TranscendencePlugin implements DomainPlugin {

    static final Kpi TASK_SUCCESS = Kpi.builder("task_success", Kpi.Unit.RATIO).healthBearing()
            .description("Tasks that succeeded / tasks not skipped, per plan run").build();
    static final Kpi PLANNING_ACCURACY = Kpi.builder("planning_accuracy", Kpi.Unit.RATIO)
            .description("min(estimated, actual) / max(estimated, actual) seconds of the tasks that ran, per plan run").build();
    static final Kpi PLAN_DURATION = Kpi.builder("plan_duration", Kpi.Unit.SECONDS).lowerIsBetter()
            .description("Elapsed time of one plan run, from the monotonic timer").build();
    static final Kpi RETRIES = Kpi.builder("retries", Kpi.Unit.COUNT).lowerIsBetter()
            .description("Attempts beyond each task's first, per plan run").build();

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.transcendence");

    private ExecutorService workers;
    private PlanRunner runner;
    private ScheduledExecutorService scheduler;
    private MetricPublisher publisher;
    private Plan maintenancePlan;
    /** How the last maintenance run went; null before the first. */
    private volatile PlanReport lastMaintenance;
    private volatile boolean stopping;
    /** plan/task -> the cause of its last skip, so that a skip is logged when it starts or its cause changes. */
    private final Map<String, String> skips = new ConcurrentHashMap<>();

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("transcendence").domain("transcendence").version("0.1.0").apiRange("[0.1,1)")
                .description("Executes plans of dependent tasks with retries and timeouts").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(TASK_SUCCESS, PLANNING_ACCURACY, PLAN_DURATION, RETRIES);
    }

    @Override
    public void start(PluginContext context) {
        Duration interval = context.config().duration("interval", Duration.ofSeconds(10));
        Duration timeout = context.config().duration("timeout", Duration.ofSeconds(30));
        int retries = context.config().integer("retries", 2);
        Duration backupInterval = context.config().duration("backupInterval", Duration.ofHours(1));
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("plugins.transcendence.timeout: must be positive, got " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("plugins.transcendence.retries: must not be negative, got " + retries);
        }
        if (backupInterval.isNegative()) {
            throw new IllegalArgumentException("plugins.transcendence.backupInterval: must not be negative, got "
                    + backupInterval);
        }
        // Attempts run on threads of their own so they can be timed out; like the runtime's threads they
        // carry the plugin's class loader.
        ClassLoader loader = getClass().getClassLoader();
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "grace-transcendence-task-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
        runner = new PlanRunner(workers);
        scheduler = context.scheduler();
        publisher = context.publisher();
        maintenancePlan = new MaintenancePlan(context.actions(), context.clock(), backupInterval).plan(timeout, retries);
        scheduler.scheduleWithFixedDelay(() -> runAndPublish(maintenancePlan).ifPresent(r -> lastMaintenance = r), 0,
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        stopping = true;
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    /**
     * Runs {@code plan} on the plugin's scheduler, after any plan already running, and publishes its
     * KPIs. The future completes with the report, or exceptionally if the plugin has stopped or
     * stopped while the plan ran.
     */
    public CompletableFuture<PlanReport> submit(Plan plan) {
        CompletableFuture<PlanReport> result = new CompletableFuture<>();
        try {
            scheduler.execute(() -> runAndPublish(plan).ifPresentOrElse(result::complete,
                    () -> result.completeExceptionally(new CancellationException("the plugin stopped while plan "
                            + plan.name() + " ran"))));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** How the last run of the maintenance plan went, each task's cause included; empty before the first. */
    public Optional<PlanReport> lastMaintenance() {
        return Optional.ofNullable(lastMaintenance);
    }

    /** Runs {@code plan} and publishes how it went; empty when the plugin stopped meanwhile (nothing published then). */
    private Optional<PlanReport> runAndPublish(Plan plan) {
        PlanReport report;
        try {
            report = runner.run(plan);
        } catch (PlanRunner.Stopped e) {
            LOG.info("plan {} abandoned, the plugin is stopping: {}", plan.name(), e.getMessage());
            return Optional.empty();
        }
        if (stopping) {
            // stop() interrupted its tasks: how they ended says nothing about the plan
            LOG.info("plan {} abandoned, the plugin is stopping", plan.name());
            return Optional.empty();
        }
        report.taskSuccess().ifPresent(s -> publisher.record(TASK_SUCCESS, s));
        report.planningAccuracy().ifPresent(a -> publisher.record(PLANNING_ACCURACY, a));
        publisher.record(PLAN_DURATION, report.seconds());
        publisher.record(RETRIES, report.retries());
        for (TaskReport t : report.tasks()) {
            String key = plan.name() + "/" + t.id();
            if (t.outcome() == TaskReport.Outcome.SKIPPED) {
                if (!t.cause().equals(skips.put(key, t.cause()))) {
                    LOG.info("plan {}: task {} skipped: {}", plan.name(), t.id(), t.cause());
                }
                continue;
            }
            skips.remove(key);
            if (t.outcome() != TaskReport.Outcome.SUCCEEDED) {
                LOG.warn("plan {}: task {} {}: {}", plan.name(), t.id(), t.outcome(), t.cause());
            }
        }
        return Optional.of(report);
    }
}
