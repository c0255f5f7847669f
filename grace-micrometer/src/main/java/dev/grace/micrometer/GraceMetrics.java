package dev.grace.micrometer;

import dev.grace.api.Kpi;
import dev.grace.api.RejectReason;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.cognition.DomainStatus;
import dev.grace.runtime.cognition.Scores;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Puts a running {@link GraceRuntime} into a host's {@link MeterRegistry}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th><th>value</th></tr>
 *   <tr><td>{@code grace.kpi.accepted}</td><td>function counter</td><td>domain, kpi</td>
 *       <td>values accepted since the runtime started</td></tr>
 *   <tr><td>{@code grace.kpi.hour.mean}</td><td>gauge, in the KPI's base unit</td><td>domain, kpi</td>
 *       <td>mean of the current hour's values; NaN before the hour's first value</td></tr>
 *   <tr><td>{@code grace.kpi.hour.percentile}</td><td>gauge, in the KPI's base unit</td><td>domain, kpi, phi</td>
 *       <td>the current hour's 0.5, 0.95 and 0.99 quantiles (nearest rank, within 1%)</td></tr>
 *   <tr><td>{@code grace.kpi.series.hour.count}</td><td>gauge</td><td>domain, kpi, the series' attributes,
 *       grace.series.overflow</td><td>values of one series of a KPI with attributes in the current hour; 0 before its first</td></tr>
 *   <tr><td>{@code grace.kpi.series.hour.mean}</td><td>gauge, in the KPI's base unit</td><td>the same</td>
 *       <td>mean of the series' values in the current hour; NaN before its first value</td></tr>
 *   <tr><td>{@code grace.kpi.series.hour.percentile}</td><td>gauge, in the KPI's base unit</td><td>the same, and phi</td>
 *       <td>the series' 0.5, 0.95 and 0.99 quantiles of the current hour</td></tr>
 *   <tr><td>{@code grace.domain.health}, {@code .trust}, {@code .confidence}</td><td>gauge, ratio</td><td>domain</td>
 *       <td>cognition's scores of the current hour; NaN without cognition or without a score</td></tr>
 *   <tr><td>{@code grace.values.accepted}</td><td>function counter</td><td></td><td>values accepted, all publishers</td></tr>
 *   <tr><td>{@code grace.values.rejected}</td><td>function counter</td><td>reason</td><td>values rejected, by reason</td></tr>
 *   <tr><td>{@code grace.raw.events.dropped}</td><td>function counter</td><td></td><td>raw events dropped</td></tr>
 * </table>
 *
 * <p>The KPIs and domains are those of the plugins the runtime lists when {@link #bindTo} is
 * called: bind after {@link GraceRuntime#start()}. A scrape reads the runtime once, however many
 * meters it reads: the readings are taken together and kept for {@code refreshAfter} (one second
 * by default), so one scrape sees one consistent moment. A failure to read cognition's scores is
 * logged and reads as NaN; it never reaches the registry.
 *
 * <p><b>Series.</b> The series of KPIs with attributes have meters of their own names, so that the
 * totals' meters keep their tags and a sum over a meter's tags never counts a value twice. A
 * series' meters are registered by the first reading that sees it in the current hour (so they show
 * from the next scrape on) and stay; the runtime binds at most {@link Kpi#maxSeries()} attribute sets
 * per KPI (and one overflow series), so they are bounded, and a KPI's cap is kept here too. Every
 * series meter carries the same tag keys, as Micrometer's Prometheus registry requires of meters of
 * one name: {@code domain}, {@code kpi}, each attribute key that a KPI bound here declares, and
 * {@code grace.series.overflow} ({@code "true"} on the overflow series); a key the series does not
 * carry has the empty value, which Prometheus reads as no label. An attribute key that is one of
 * those tags ({@code domain}, {@code kpi}, {@code phi}, {@code grace_series_overflow}) is tagged
 * {@code exported_<key>}.
 */
public final class GraceMetrics implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(GraceMetrics.class);
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    /** The tag that marks a KPI's overflow series, as OpenTelemetry's SDK marks its own with otel.metric.overflow. */
    static final String OVERFLOW_TAG = "grace.series.overflow";
    private static final Set<String> RESERVED = Set.of("domain", "kpi", "phi", "grace_series_overflow");

    private final GraceRuntime runtime;
    private final long refreshAfterNanos;
    private Readings readings;
    /** Per registry bound: the KPIs it has, their attribute tags, and the series registered in it so far. */
    private final List<Bound> bound = new ArrayList<>();

    private record Bound(MeterRegistry registry, Map<String, Kpi> kpis, Map<String, String> tagOfKey,
                         Set<String> registered, Map<String, Integer> perKpi) {
    }

    /** Readings kept for one second. */
    public GraceMetrics(GraceRuntime runtime) {
        this(runtime, Duration.ofSeconds(1));
    }

    /** @param refreshAfter how long one reading of the runtime serves the meters; zero reads it for every meter */
    public GraceMetrics(GraceRuntime runtime, Duration refreshAfter) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.refreshAfterNanos = refreshAfter.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Map<String, Kpi> kpis = new LinkedHashMap<>();
        TreeSet<String> domains = new TreeSet<>();
        for (PluginStatus p : runtime.plugins()) {
            domains.add(p.domain());
            p.kpis().forEach(k -> kpis.putIfAbsent(p.domain() + '/' + k.name(), k));
        }
        Set<String> keys = new TreeSet<>();
        kpis.values().forEach(k -> k.attributes().forEach(a -> keys.add(a.key())));
        Map<String, String> tagOfKey = new LinkedHashMap<>();
        for (String key : keys) {
            String tag = key;
            while (RESERVED.contains(tag) || (!tag.equals(key) && keys.contains(tag))) {
                tag = "exported_" + tag;
            }
            tagOfKey.put(key, tag);
        }
        synchronized (this) {
            bound.add(new Bound(registry, Map.copyOf(kpis), tagOfKey, new HashSet<>(), new HashMap<>()));
        }
        kpis.forEach((key, kpi) -> {
            String domain = key.substring(0, key.indexOf('/'));
            Tags tags = Tags.of("domain", domain, "kpi", kpi.name());
            FunctionCounter.builder("grace.kpi.accepted", this,
                            m -> m.readings().accepted.getOrDefault(key, 0L))
                    .description("Values of the KPI accepted since the runtime started")
                    .tags(tags).register(registry);
            Gauge.builder("grace.kpi.hour.mean", this, m -> m.hour(key, HourlyRollup::mean))
                    .description("Mean of the KPI's values in the current hour")
                    .baseUnit(baseUnit(kpi.unit())).tags(tags).strongReference(true).register(registry);
            for (double phi : PERCENTILES) {
                Gauge.builder("grace.kpi.hour.percentile", this, m -> m.hour(key, h -> h.quantile(phi)))
                        .description("Quantile of the KPI's values in the current hour (nearest rank, within 1%)")
                        .baseUnit(baseUnit(kpi.unit())).tags(tags).tag("phi", Double.toString(phi))
                        .strongReference(true).register(registry);
            }
        });
        for (String domain : domains) {
            score(registry, "grace.domain.health", "Cognition's health score of the domain's current hour", domain, Scores::health);
            score(registry, "grace.domain.trust", "Cognition's trust score of the domain's current hour", domain, Scores::trust);
            score(registry, "grace.domain.confidence", "Cognition's confidence score of the domain's current hour", domain, Scores::confidence);
        }
        FunctionCounter.builder("grace.values.accepted", this, m -> m.readings().stats.totalAccepted())
                .description("Values accepted by every publisher").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("grace.values.rejected", this,
                            m -> m.readings().stats.totalRejectedByReason().getOrDefault(reason, 0L))
                    .description("Values rejected, by reason").tag("reason", reason.name()).register(registry);
        }
        FunctionCounter.builder("grace.raw.events.dropped", this, m -> m.readings().stats.totalRawDropped())
                .description("Raw events dropped (queue full or sink failing); the values stay in the rollups")
                .register(registry);
    }

    private void score(MeterRegistry registry, String name, String help, String domain, Function<Scores, Double> which) {
        Gauge.builder(name, this, m -> {
                    Scores s = m.readings().scores.get(domain);
                    Double v = s == null ? null : which.apply(s);
                    return v == null ? Double.NaN : v;
                })
                .description(help).baseUnit("ratio").tag("domain", domain)
                .strongReference(true).register(registry);
    }

    /** The Micrometer base unit of a KPI unit; null where the unit is a plain number. */
    static String baseUnit(Kpi.Unit unit) {
        return switch (unit) {
            case SECONDS -> "seconds";
            case MILLISECONDS -> BaseUnits.MILLISECONDS;
            case BYTES -> BaseUnits.BYTES;
            case RATIO -> "ratio";
            case PER_SECOND -> "per_second";
            case PER_HOUR -> "per_hour";
            case COUNT, CURRENCY, SCORE -> null;
        };
    }

    private double hour(String key, ToDoubleFunction<HourlyRollup> f) {
        HourlyRollup h = readings().hour.get(key);
        return h == null || h.count() == 0 ? Double.NaN : f.applyAsDouble(h);
    }

    private double series(String key, ToDoubleFunction<HourlyRollup> f) {
        HourlyRollup h = readings().series.get(key);
        return h == null || h.count() == 0 ? Double.NaN : f.applyAsDouble(h);
    }

    private synchronized Readings readings() {
        long now = System.nanoTime();
        if (readings == null || now - readings.takenAt >= refreshAfterNanos) {
            readings = read(now);
            for (Bound b : bound) {
                readings.series.values().forEach(h -> registerSeries(b, h));
            }
        }
        return readings;
    }

    /** The meters of one series of the current hour, once per registry; at most maxSeries per KPI and its overflow. */
    private void registerSeries(Bound b, HourlyRollup h) {
        String id = h.domain() + '/' + h.kpi();
        Kpi kpi = b.kpis().get(id);
        String key = id + '/' + h.series();
        if (kpi == null || b.registered().contains(key)) {
            return;
        }
        boolean overflow = SeriesKey.isOverflow(h.series());
        if (!overflow && b.perKpi().merge(id, 1, Integer::sum) > kpi.maxSeries()) {
            return;
        }
        b.registered().add(key);
        List<Tag> tags = new ArrayList<>();
        tags.add(Tag.of("domain", h.domain()));
        tags.add(Tag.of("kpi", h.kpi()));
        Map<String, String> attributes = h.attributes();
        b.tagOfKey().forEach((k, tag) -> tags.add(Tag.of(tag, attributes.getOrDefault(k, ""))));
        tags.add(Tag.of(OVERFLOW_TAG, overflow ? "true" : ""));
        String unit = baseUnit(kpi.unit());
        Gauge.builder("grace.kpi.series.hour.count", this, m -> {
                    HourlyRollup r = m.readings().series.get(key);
                    return r == null ? 0 : r.count();
                })
                .description("Values of one series of the KPI in the current hour")
                .tags(tags).strongReference(true).register(b.registry());
        Gauge.builder("grace.kpi.series.hour.mean", this, m -> m.series(key, HourlyRollup::mean))
                .description("Mean of one series of the KPI in the current hour")
                .baseUnit(unit).tags(tags).strongReference(true).register(b.registry());
        for (double phi : PERCENTILES) {
            Gauge.builder("grace.kpi.series.hour.percentile", this, m -> m.series(key, r -> r.quantile(phi)))
                    .description("Quantile of one series of the KPI in the current hour (nearest rank, within 1%)")
                    .baseUnit(unit).tags(tags).tag("phi", Double.toString(phi))
                    .strongReference(true).register(b.registry());
        }
    }

    private Readings read(long now) {
        Map<String, HourlyRollup> hour = new HashMap<>();
        Map<String, HourlyRollup> series = new LinkedHashMap<>();
        for (HourlyRollup h : runtime.rollups().hourWithSeries(runtime.rollups().currentHour())) {
            if (h.isTotal()) {
                hour.put(h.domain() + '/' + h.kpi(), h);
            } else {
                series.put(h.domain() + '/' + h.kpi() + '/' + h.series(), h);
            }
        }
        Map<String, Scores> scores = new HashMap<>();
        try {
            runtime.cognition().ifPresent(c -> {
                for (DomainStatus d : c.status().domains()) {
                    scores.put(d.domain(), d.scores());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Grace's scores could not be read for the meter registry; they read as NaN: {}", e.toString());
        }
        return new Readings(now, hour, series, runtime.rollups().acceptedCounts(), runtime.stats(), scores);
    }

    private record Readings(long takenAt, Map<String, HourlyRollup> hour, Map<String, HourlyRollup> series,
                            Map<String, Long> accepted, PublishStats stats, Map<String, Scores> scores) {
    }
}
