package dev.grace.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plugin scheduler that runs in virtual time: tasks run on the test's thread, in due order, when
 * the {@link ManualClock} is moved with {@link #advanceTo(long)}. A task due every 10 s runs 360
 * times when the clock moves an hour, each time with the clock reading its due time, so a plugin's
 * schedule is tested without waiting and without races.
 */
final class VirtualScheduler extends AbstractExecutorService implements ScheduledExecutorService,
        dev.grace.runtime.SchedulerFactory.TaskFailures {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualScheduler.class);

    private final String pluginId;
    private final ManualClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean shutdown;

    /** The plugin's class loader: the context class loader while one of its tasks runs, as on its real threads. */
    private final ClassLoader loader;

    VirtualScheduler(String pluginId, ManualClock clock, ClassLoader loader) {
        this.pluginId = pluginId;
        this.clock = clock;
        this.loader = loader;
    }

    /**
     * Runs every task due up to {@code targetMillis}, moving the clock to each task's due time
     * first, and leaves the clock at {@code targetMillis}.
     */
    void advanceTo(long targetMillis) {
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (shutdown || next == null || next.due > targetMillis) {
                    break;
                }
                queue.poll();
            }
            if (next.due > clock.millis()) {
                clock.set(java.time.Instant.ofEpochMilli(next.due));
            }
            next.run();
        }
        if (clock.millis() < targetMillis) {
            clock.set(java.time.Instant.ofEpochMilli(targetMillis));
        }
    }

    /** Tasks that threw. */
    long failures() {
        return failures.get();
    }

    @Override
    public long failedTasks() {
        return failures.get();
    }

    private synchronized <V> Task<V> enqueue(Task<V> task) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("the scheduler of plugin " + pluginId + " is shut down");
        }
        queue.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<Void>(Executors.callable(command, null), at(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, at(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        return enqueue(new Task<Void>(Executors.callable(command, null), at(initialDelay, unit), unit.toMillis(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive, got " + delay);
        }
        return enqueue(new Task<Void>(Executors.callable(command, null), at(initialDelay, unit), -unit.toMillis(delay)));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    private long at(long delay, TimeUnit unit) {
        return clock.millis() + Math.max(0, unit.toMillis(delay));
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        queue.clear();
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = new ArrayList<>(queue);
        queue.clear();
        return pending;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    /** A task with a due time; period > 0 is a fixed rate, < 0 a fixed delay, 0 runs once. */
    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        private final long seq = sequence.incrementAndGet();
        private final long period;
        private long due;

        Task(Callable<V> body, long due, long period) {
            super(body);
            this.due = due;
            this.period = period;
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        @Override
        public void run() {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                runAsPlugin();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        private void runAsPlugin() {
            if (!isPeriodic()) {
                super.run();
                report();
                return;
            }
            if (runAndReset()) {
                due = period > 0 ? due + period : clock.millis() - period;
                synchronized (VirtualScheduler.this) {
                    if (!shutdown) {
                        queue.add(this);
                    }
                }
            } else {
                report();
            }
        }

        private void report() {
            if (isDone() && !isCancelled()) {
                try {
                    get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.incrementAndGet();
                    LOG.error("plugin {}: a scheduled task failed{}", pluginId,
                            isPeriodic() ? " and will not run again" : "", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            synchronized (VirtualScheduler.this) {
                queue.remove(this);
            }
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof Task<?> t) {
                int c = Long.compare(due, t.due);
                return c != 0 ? c : Long.compare(seq, t.seq);
            }
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }
    }
}
