package dev.grace.micrometer;

import dev.grace.api.DomainPlugin;
import dev.grace.api.GraceApi;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Feeds a host's existing Micrometer meters into KPIs of a domain the host declares, so that
 * instrumentation already in place reaches Grace's rollups, health and benchmarks. It is a
 * {@link DomainPlugin}: give it to {@code GraceRuntime.Builder.plugin(...)}.
 *
 * <pre>{@code
 * MicrometerSource source = MicrometerSource.builder("checkout-meters", "checkout", registry)
 *         .every(Duration.ofSeconds(10))
 *         .map(Kpi.builder("pay_latency", Kpi.Unit.SECONDS).lowerIsBetter().build(),
 *              "http.server.requests", Reading.MEAN, "uri", "/pay")
 *         .build();
 * GraceRuntime.builder().plugin(source).build().start();
 * }</pre>
 *
 * <p>Each step (on the plugin's scheduler, every {@code every}) reads, for each mapping, the meters
 * whose name equals the mapping's and whose tags include the mapping's tags, and records at most one
 * value into the KPI ({@link Reading#VALUE}: one per meter). Counts and totals are read as deltas
 * since the previous step; the first step only takes the baseline of the meters that exist then,
 * while a meter registered later counts from zero. Nothing of a distribution but its count, total
 * and maximum is read: Micrometer's percentiles and histogram buckets are not, so the hourly
 * quantiles of a {@code MEAN} KPI are quantiles of step means, not of single events.
 *
 * <p>Which meters match is resolved again only when the registry adds or removes a meter.
 */
public final class MicrometerSource implements DomainPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerSource.class);

    private final PluginInfo info;
    private final MeterRegistry registry;
    private final Duration every;
    private final List<Mapping> mappings;
    private volatile boolean meterSetChanged = true;
    private boolean baselineTaken;
    private volatile MetricPublisher publisher;
    private long skipped;

    private MicrometerSource(Builder b) {
        this.info = PluginInfo.builder(b.pluginId).domain(b.domain).version(GraceApi.version())
                .description("Micrometer meters of the host as KPIs of domain " + b.domain).build();
        this.registry = b.registry;
        this.every = b.every;
        List<Mapping> list = new ArrayList<>();
        for (MappingSpec m : b.mappings) {
            list.add(new Mapping(m.kpi(), m.name(), m.tags(), m.reading()));
        }
        this.mappings = List.copyOf(list);
        registry.config().onMeterAdded(m -> meterSetChanged = true);
        registry.config().onMeterRemoved(m -> meterSetChanged = true);
    }

    /**
     * @param pluginId the id this source runs under, {@code [a-z][a-z0-9-]{0,63}}
     * @param domain   the domain its KPIs belong to
     * @param registry the host's registry to read
     */
    public static Builder builder(String pluginId, String domain, MeterRegistry registry) {
        return new Builder(pluginId, domain, registry);
    }

    @Override
    public PluginInfo info() {
        return info;
    }

    @Override
    public List<Kpi> kpis() {
        List<Kpi> out = new ArrayList<>();
        for (Mapping m : mappings) {
            if (!out.contains(m.kpi)) {
                out.add(m.kpi);
            }
        }
        return out;
    }

    @Override
    public void start(PluginContext context) {
        publisher = context.publisher();
        long millis = every.toMillis();
        context.scheduler().scheduleAtFixedRate(this::step, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        publisher = null;
    }

    /**
     * Reads the matched meters once and records into the KPIs: what the scheduler runs every step.
     *
     * @return the values recorded (accepted or not: the runtime counts rejections)
     * @throws IllegalStateException before the runtime started this source
     */
    public synchronized int step() {
        MetricPublisher out = publisher;
        if (out == null) {
            throw new IllegalStateException("MicrometerSource " + info.id() + " is not running: start the runtime first");
        }
        if (meterSetChanged) {
            meterSetChanged = false;
            resolve();
        }
        int recorded = 0;
        for (Mapping m : mappings) {
            recorded += m.step(out);
        }
        baselineTaken = true;
        return recorded;
    }

    /** Matched meters whose type has nothing to give for their mapping's reading (a gauge read for MEAN), per step. */
    public synchronized long skipped() {
        return skipped;
    }

    private void resolve() {
        List<Meter> meters = registry.getMeters();
        for (Mapping m : mappings) {
            m.resolve(meters, baselineTaken);
        }
    }

    /** One KPI fed from the meters of one name and tags. */
    private final class Mapping {
        final Kpi kpi;
        final String name;
        final List<Tag> tags;
        final Reading reading;
        final TimeUnit timeUnit;
        Tracked[] tracked = new Tracked[0];
        boolean warned;

        Mapping(Kpi kpi, String name, List<Tag> tags, Reading reading) {
            this.kpi = kpi;
            this.name = name;
            this.tags = tags;
            this.reading = reading;
            this.timeUnit = kpi.unit() == Kpi.Unit.MILLISECONDS ? TimeUnit.MILLISECONDS : TimeUnit.SECONDS;
        }

        void resolve(List<Meter> meters, boolean afterFirstStep) {
            Map<Meter, Tracked> known = new IdentityHashMap<>();
            for (Tracked t : tracked) {
                known.put(t.meter, t);
            }
            List<Tracked> now = new ArrayList<>();
            for (Meter meter : meters) {
                Meter.Id id = meter.getId();
                if (!id.getName().equals(name) || !hasTags(id)) {
                    continue;
                }
                Tracked t = known.get(meter);
                if (t == null) {
                    t = new Tracked(meter);
                    if (!afterFirstStep) {
                        // Meters that exist at the first step hold history from before the source ran.
                        t.count = count(meter);
                        t.total = total(meter);
                    }
                }
                now.add(t);
            }
            tracked = now.toArray(new Tracked[0]);
        }

        private boolean hasTags(Meter.Id id) {
            for (Tag tag : tags) {
                if (!tag.getValue().equals(id.getTag(tag.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        int step(MetricPublisher out) {
            if (tracked.length == 0) {
                return 0;
            }
            double dCount = 0;
            double dTotal = 0;
            double max = Double.NaN;
            int values = 0;
            for (Tracked t : tracked) {
                Meter meter = t.meter;
                double c = count(meter);
                double total = total(meter);
                double dc = delta(c, t.count);
                double dt = delta(total, t.total);
                t.count = c;
                t.total = total;
                switch (reading) {
                    case VALUE -> {
                        double v = value(meter);
                        if (Double.isNaN(v)) {
                            skip(meter);
                        } else {
                            out.record(kpi, v);
                            values++;
                        }
                    }
                    case MAX -> {
                        double m = max(meter);
                        if (Double.isNaN(m)) {
                            skip(meter);
                        } else if (dc > 0) {
                            max = Double.isNaN(max) ? m : Math.max(max, m);
                        }
                    }
                    default -> {
                        if (Double.isNaN(c)) {
                            skip(meter);
                        } else {
                            dCount += dc;
                            dTotal += dt;
                        }
                    }
                }
            }
            switch (reading) {
                case COUNT -> {
                    out.record(kpi, dCount);
                    return 1;
                }
                case TOTAL -> {
                    out.record(kpi, dTotal);
                    return 1;
                }
                case MEAN -> {
                    if (dCount > 0) {
                        out.record(kpi, dTotal / dCount);
                        return 1;
                    }
                    return 0;
                }
                case MAX -> {
                    if (!Double.isNaN(max)) {
                        out.record(kpi, max);
                        return 1;
                    }
                    return 0;
                }
                default -> {
                    return values;
                }
            }
        }

        /** A cumulative figure's change; a figure that went down was reset, so all of it is new. */
        private double delta(double now, double before) {
            if (Double.isNaN(now)) {
                return 0;
            }
            return now >= before ? now - before : now;
        }

        private void skip(Meter meter) {
            skipped++;
            if (!warned) {
                warned = true;
                LOG.warn("MicrometerSource {}: meter {} ({}) has no {} for KPI {}; skipped", info.id(),
                        meter.getId().getName(), meter.getId().getType(), reading, kpi.name());
            }
        }

        private double count(Meter meter) {
            if (meter instanceof Timer t) {
                return t.count();
            } else if (meter instanceof FunctionTimer t) {
                return t.count();
            } else if (meter instanceof DistributionSummary s) {
                return s.count();
            } else if (meter instanceof Counter c) {
                return c.count();
            } else if (meter instanceof FunctionCounter c) {
                return c.count();
            }
            return Double.NaN;
        }

        private double total(Meter meter) {
            if (meter instanceof Timer t) {
                return t.totalTime(timeUnit);
            } else if (meter instanceof FunctionTimer t) {
                return t.totalTime(timeUnit);
            } else if (meter instanceof DistributionSummary s) {
                return s.totalAmount();
            } else if (meter instanceof Counter c) {
                return c.count();
            } else if (meter instanceof FunctionCounter c) {
                return c.count();
            }
            return Double.NaN;
        }

        private double max(Meter meter) {
            if (meter instanceof Timer t) {
                return t.max(timeUnit);
            } else if (meter instanceof DistributionSummary s) {
                return s.max();
            }
            return Double.NaN;
        }

        private double value(Meter meter) {
            if (meter instanceof TimeGauge g) {
                return g.value(timeUnit);
            } else if (meter instanceof Gauge g) {
                return g.value();
            } else if (meter instanceof Counter c) {
                return c.count();
            } else if (meter instanceof FunctionCounter c) {
                return c.count();
            }
            return Double.NaN;
        }
    }

    /** A matched meter and its figures at the previous step. */
    private static final class Tracked {
        final Meter meter;
        double count;
        double total;

        Tracked(Meter meter) {
            this.meter = meter;
        }
    }

    /** How to build a {@link MicrometerSource}: its id, domain and registry, a step, and one mapping per KPI. */
    public static final class Builder {
        private final String pluginId;
        private final String domain;
        private final MeterRegistry registry;
        private Duration every = Duration.ofSeconds(60);
        private final List<MappingSpec> mappings = new ArrayList<>();

        private Builder(String pluginId, String domain, MeterRegistry registry) {
            this.pluginId = pluginId;
            this.domain = domain;
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** How often the meters are read; one minute by default. */
        public Builder every(Duration step) {
            if (step.toMillis() <= 0) {
                throw new IllegalArgumentException("step of MicrometerSource " + pluginId + " must be at least 1 ms, got " + step);
            }
            this.every = step;
            return this;
        }

        /**
         * Feeds {@code kpi} from the meters named {@code meterName} whose tags include {@code tags}
         * (key, value pairs).
         */
        public Builder map(Kpi kpi, String meterName, Reading reading, String... tags) {
            Objects.requireNonNull(kpi, "kpi");
            Objects.requireNonNull(meterName, "meter name");
            Objects.requireNonNull(reading, "reading");
            if (tags.length % 2 != 0) {
                throw new IllegalArgumentException("tags of the mapping to KPI " + kpi.name()
                        + " must come in key, value pairs, got " + tags.length + " strings");
            }
            for (MappingSpec m : mappings) {
                if (m.kpi.name().equals(kpi.name()) && !m.kpi.equals(kpi)) {
                    throw new IllegalArgumentException("KPI " + kpi.name() + " is mapped twice with different declarations");
                }
            }
            mappings.add(new MappingSpec(kpi, meterName, Tags.of(tags).stream().toList(), reading));
            return this;
        }

        public MicrometerSource build() {
            if (mappings.isEmpty()) {
                throw new IllegalStateException("MicrometerSource " + pluginId + " maps no meter: add map(...)");
            }
            return new MicrometerSource(this);
        }
    }

    private record MappingSpec(Kpi kpi, String name, List<Tag> tags, Reading reading) {
    }
}
