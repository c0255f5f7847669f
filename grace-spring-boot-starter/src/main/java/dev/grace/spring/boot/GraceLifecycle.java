package dev.grace.spring.boot;

import dev.grace.micrometer.GraceMetrics;
import dev.grace.runtime.GraceRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the runtime with the application context and closes it with the context. After the start
 * (when the plugins' KPIs are known) Grace's meters are bound to the application's
 * {@link MeterRegistry}, if it has one.
 */
final class GraceLifecycle implements SmartLifecycle {

    /** Before the web server (which starts late), so readiness sees the plugins started. */
    static final int PHASE = 0;

    private final GraceRuntime runtime;
    private final ObjectProvider<MeterRegistry> registries;
    private volatile boolean running;

    GraceLifecycle(GraceRuntime runtime, ObjectProvider<MeterRegistry> registries) {
        this.runtime = runtime;
        this.registries = registries;
    }

    @Override
    public void start() {
        runtime.start();
        running = true;
        registries.orderedStream().forEach(new GraceMetrics(runtime)::bindTo);
    }

    @Override
    public void stop() {
        running = false;
        runtime.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
