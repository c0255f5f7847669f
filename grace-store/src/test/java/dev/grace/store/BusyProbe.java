package dev.grace.store;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A plugin that publishes through the whole of its life, start and stop included: values in
 * {@code start()}, from a thread of its own from {@code start()} until {@code stop()} has run, from
 * its scheduler, and in {@code stop()}. Its start and its stop each linger a while (publishing all
 * the time), so the runtime's own start-up and shut-down steps run while values arrive. Counts every
 * value the publisher accepted, across the instances a test makes.
 */
final class BusyProbe implements DomainPlugin {

    static final Kpi LATENCY = Probe.LATENCY;

    private final String id;
    private final String domain;
    private final Duration linger;
    private final AtomicLong accepted;
    private volatile MetricPublisher publisher;
    private volatile boolean stopping;
    private Thread thread;

    /**
     * @param linger   how long {@code start()} and {@code stop()} each take, publishing meanwhile
     * @param accepted where every accepted value is counted
     */
    BusyProbe(String id, String domain, Duration linger, AtomicLong accepted) {
        this.id = id;
        this.domain = domain;
        this.linger = linger;
        this.accepted = accepted;
    }

    @Override
    public PluginInfo info() {
        return PluginInfo.builder(id).domain(domain).version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LATENCY);
    }

    @Override
    public void start(PluginContext context) {
        publisher = context.publisher();
        record(1);
        thread = new Thread(() -> {
            for (int i = 0; !stopping; i++) {
                record(1 + i % 500);
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }, "busy-" + id);
        thread.start();
        context.scheduler().scheduleAtFixedRate(() -> record(7), 0, 1, TimeUnit.MILLISECONDS);
        lingerPublishing();
        record(2);
    }

    @Override
    public void stop() {
        record(3);
        lingerPublishing();
        stopping = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        record(4);
    }

    /** Waits {@link #linger} while the plugin's thread goes on publishing: the injected delay. */
    private void lingerPublishing() {
        long end = System.nanoTime() + linger.toNanos();
        while (System.nanoTime() < end) {
            record(5);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
        }
    }

    private void record(double v) {
        if (publisher.record(LATENCY, v)) {
            accepted.incrementAndGet();
        }
    }
}
