package dev.grace.runtime.store;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A plugin that hands its publisher to the test, and a clock the test moves. */
final class Probe implements DomainPlugin {

    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter().range(0, 1_000).build();

    private final String id;
    private final String domain;
    private volatile PluginContext context;

    Probe(String id, String domain) {
        this.id = id;
        this.domain = domain;
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
        this.context = context;
    }

    MetricPublisher publisher() {
        return context.publisher();
    }

    /** A clock moved by hand. */
    static final class ManualClock extends Clock {
        private final AtomicLong millis;

        ManualClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        void set(Instant t) {
            millis.set(t.toEpochMilli());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }
}
