package dev.grace.opentelemetry;

import dev.grace.api.GraceApi;
import dev.grace.api.Kpi;
import dev.grace.api.RejectReason;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.cognition.DomainStatus;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.metrics.ObservableMeasurement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports a running {@link GraceRuntime} through a host's OpenTelemetry: asynchronous instruments
 * observed by one batch callback, so each collection by the host's readers reads the runtime once
 * and sees one consistent moment. Only the OpenTelemetry API is used, as OpenTelemetry asks of
 * libraries: the host's SDK with its readers and exporters, or the Java agent, does the rest.
 *
 * <pre>{@code
 * GraceTelemetry telemetry = GraceTelemetry.register(grace, openTelemetry);   // after grace.start()
 * // ...
 * telemetry.close();                                                          // stops observing
 * }</pre>
 *
 * <p>Instruments, named in the semantic conventions' style (dot-separated, UCUM units, attributes
 * under {@code grace.}):
 * <ul>
 *   <li>per KPI, {@code grace.<domain>.<kpi>.hour.mean} and {@code grace.<domain>.<kpi>.hour.quantile}
 *       (attribute {@code grace.quantile}: 0.5, 0.95, 0.99), gauges in the KPI's unit, with the
 *       attributes {@code grace.domain} and {@code grace.kpi}, observed while the current hour has
 *       values. A KPI is its own metric because an instrument has one unit and the KPIs of a domain
 *       differ in unit;</li>
 *   <li>for a KPI with attributes, {@code grace.<domain>.<kpi>.hour.count}: a gauge, {@code {value}},
 *       the current hour's count, and every series of the current hour as points of its KPI's
 *       {@code .mean}, {@code .quantile} and {@code .count} beside the total's: the total's point has
 *       {@code grace.domain} and {@code grace.kpi} only, a series' point adds its attributes under
 *       their own keys (no Grace attribute is a bare word, so none collides), the overflow series'
 *       {@code grace.series.overflow=true}, as the SDK marks its own overflow point with
 *       {@code otel.metric.overflow=true}. At most {@link Kpi#maxSeries()} series per KPI and its
 *       overflow;</li>
 *   <li>{@code grace.kpi.accepted}: counter, {@code {value}}, attributes {@code grace.domain} and
 *       {@code grace.kpi}: values accepted since the runtime started;</li>
 *   <li>{@code grace.domain.health}, {@code .trust} and {@code .confidence}: gauges, unit {@code 1},
 *       attribute {@code grace.domain}, observed when cognition has a score for the current hour;</li>
 *   <li>{@code grace.values.accepted}, {@code grace.values.rejected} (attribute
 *       {@code grace.reject.reason}) and {@code grace.raw_events.dropped}: counters.</li>
 * </ul>
 * A failure to read the scores is logged and leaves them out of that collection; nothing thrown
 * reaches the SDK.
 */
public final class GraceTelemetry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraceTelemetry.class);
    /** The instrumentation scope the instruments belong to. */
    public static final String SCOPE = "dev.grace";
    static final AttributeKey<String> DOMAIN = AttributeKey.stringKey("grace.domain");
    static final AttributeKey<String> KPI = AttributeKey.stringKey("grace.kpi");
    static final AttributeKey<Double> QUANTILE = AttributeKey.doubleKey("grace.quantile");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("grace.reject.reason");
    static final AttributeKey<Boolean> OVERFLOW = AttributeKey.booleanKey("grace.series.overflow");
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};

    private final GraceRuntime runtime;
    private final List<KpiInstruments> kpis = new ArrayList<>();
    private final Map<String, Attributes> domains = new LinkedHashMap<>();
    private final Map<RejectReason, Attributes> reasons = new EnumMap<>(RejectReason.class);
    private final ObservableLongMeasurement accepted;
    private final ObservableDoubleMeasurement health;
    private final ObservableDoubleMeasurement trust;
    private final ObservableDoubleMeasurement confidence;
    private final ObservableLongMeasurement valuesAccepted;
    private final ObservableLongMeasurement valuesRejected;
    private final ObservableLongMeasurement rawDropped;
    private final BatchCallback callback;

    private record KpiInstruments(String key, Kpi kpi, Attributes attributes, Attributes[] quantiles,
                                  ObservableDoubleMeasurement mean, ObservableDoubleMeasurement quantile,
                                  ObservableLongMeasurement count, Map<String, Attributes[]> series) {

        /**
         * A series' point attributes (index 0) and its quantiles' (1..), made once per series; null
         * for a set past the KPI's bound (the runtime binds none: this keeps the bound here too).
         * Synchronized: two readers may collect at once, and the bound is checked and taken together.
         */
        synchronized Attributes[] of(HourlyRollup h) {
            Attributes[] known = series.get(h.series());
            if (known != null) {
                return known;
            }
            boolean overflow = SeriesKey.isOverflow(h.series());
            int sets = series.size() - (series.containsKey(SeriesKey.OVERFLOW) ? 1 : 0);
            if (!overflow && sets >= kpi.maxSeries()) {
                return null;
            }
            AttributesBuilder b = attributes.toBuilder();
            if (overflow) {
                b.put(OVERFLOW, true);
            } else {
                h.attributes().forEach(b::put);
            }
            Attributes point = b.build();
            Attributes[] made = new Attributes[1 + QUANTILES.length];
            made[0] = point;
            for (int i = 0; i < QUANTILES.length; i++) {
                made[i + 1] = point.toBuilder().put(QUANTILE, QUANTILES[i]).build();
            }
            series.put(h.series(), made);
            return made;
        }
    }

    private GraceTelemetry(GraceRuntime runtime, Meter meter) {
        this.runtime = runtime;
        Map<String, Kpi> declared = new LinkedHashMap<>();
        TreeSet<String> domainNames = new TreeSet<>();
        for (PluginStatus p : runtime.plugins()) {
            domainNames.add(p.domain());
            p.kpis().forEach(k -> declared.putIfAbsent(p.domain() + '/' + k.name(), k));
        }
        List<ObservableMeasurement> all = new ArrayList<>();
        declared.forEach((key, kpi) -> {
            String domain = key.substring(0, key.indexOf('/'));
            String prefix = "grace." + domain + '.' + kpi.name() + ".hour.";
            String unit = unit(kpi.unit());
            ObservableDoubleMeasurement mean = meter.gaugeBuilder(prefix + "mean").setUnit(unit)
                    .setDescription("Mean of the current hour's values of " + key).buildObserver();
            ObservableDoubleMeasurement quantile = meter.gaugeBuilder(prefix + "quantile").setUnit(unit)
                    .setDescription("Quantiles of the current hour's values of " + key + " (nearest rank, within 1%)")
                    .buildObserver();
            Attributes attributes = Attributes.of(DOMAIN, domain, KPI, kpi.name());
            Attributes[] quantiles = new Attributes[QUANTILES.length];
            for (int i = 0; i < QUANTILES.length; i++) {
                quantiles[i] = attributes.toBuilder().put(QUANTILE, QUANTILES[i]).build();
            }
            ObservableLongMeasurement count = null;
            if (kpi.hasAttributes()) {
                count = meter.gaugeBuilder(prefix + "count").ofLongs().setUnit("{value}")
                        .setDescription("Values of " + key + " in the current hour, the total and per series")
                        .buildObserver();
                all.add(count);
            }
            kpis.add(new KpiInstruments(key, kpi, attributes, quantiles, mean, quantile, count,
                    new ConcurrentHashMap<>()));
            all.add(mean);
            all.add(quantile);
        });
        domainNames.forEach(d -> domains.put(d, Attributes.of(DOMAIN, d)));
        for (RejectReason r : RejectReason.values()) {
            reasons.put(r, Attributes.of(REASON, r.name()));
        }
        accepted = meter.counterBuilder("grace.kpi.accepted").setUnit("{value}")
                .setDescription("Values of a KPI accepted since the runtime started").buildObserver();
        health = meter.gaugeBuilder("grace.domain.health").setUnit("1")
                .setDescription("Cognition's health score of the domain's current hour").buildObserver();
        trust = meter.gaugeBuilder("grace.domain.trust").setUnit("1")
                .setDescription("Cognition's trust score of the domain's current hour").buildObserver();
        confidence = meter.gaugeBuilder("grace.domain.confidence").setUnit("1")
                .setDescription("Cognition's confidence score of the domain's current hour").buildObserver();
        valuesAccepted = meter.counterBuilder("grace.values.accepted").setUnit("{value}")
                .setDescription("Values accepted by every publisher").buildObserver();
        valuesRejected = meter.counterBuilder("grace.values.rejected").setUnit("{value}")
                .setDescription("Values rejected, by reason").buildObserver();
        rawDropped = meter.counterBuilder("grace.raw_events.dropped").setUnit("{event}")
                .setDescription("Raw events dropped; the values stay in the rollups").buildObserver();
        all.addAll(List.of(accepted, health, trust, confidence, valuesAccepted, valuesRejected, rawDropped));
        callback = meter.batchCallback(this::observe, all.get(0),
                all.subList(1, all.size()).toArray(new ObservableMeasurement[0]));
    }

    /**
     * Registers Grace's instruments on the host's OpenTelemetry. The KPIs and domains are those of
     * the plugins the runtime lists now: register after {@link GraceRuntime#start()}.
     */
    public static GraceTelemetry register(GraceRuntime runtime, OpenTelemetry openTelemetry) {
        return register(runtime, openTelemetry.getMeterProvider());
    }

    /** Registers Grace's instruments on a meter provider, such as the host's {@code SdkMeterProvider}. */
    public static GraceTelemetry register(GraceRuntime runtime, MeterProvider meterProvider) {
        Objects.requireNonNull(runtime, "runtime");
        Meter meter = meterProvider.meterBuilder(SCOPE)
                .setInstrumentationVersion(GraceApi.version()).build();
        return new GraceTelemetry(runtime, meter);
    }

    /** The UCUM unit of a KPI unit, as the semantic conventions write units. */
    static String unit(Kpi.Unit unit) {
        return switch (unit) {
            case SECONDS -> "s";
            case MILLISECONDS -> "ms";
            case BYTES -> "By";
            case RATIO -> "1";
            case COUNT -> "{count}";
            case CURRENCY -> "{currency}";
            case SCORE -> "{score}";
            case PER_SECOND -> "/s";
            case PER_HOUR -> "/h";
        };
    }

    private void observe() {
        Map<String, HourlyRollup> hour = new HashMap<>();
        Map<String, List<HourlyRollup>> series = new HashMap<>();
        for (HourlyRollup h : runtime.rollups().hourWithSeries(runtime.rollups().currentHour())) {
            if (h.isTotal()) {
                hour.put(h.domain() + '/' + h.kpi(), h);
            } else {
                series.computeIfAbsent(h.domain() + '/' + h.kpi(), k -> new ArrayList<>()).add(h);
            }
        }
        Map<String, Long> counts = runtime.rollups().acceptedCounts();
        for (KpiInstruments k : kpis) {
            accepted.record(counts.getOrDefault(k.key, 0L), k.attributes);
            HourlyRollup h = hour.get(k.key);
            if (h != null && h.count() > 0) {
                k.mean.record(h.mean(), k.attributes);
                for (int i = 0; i < QUANTILES.length; i++) {
                    k.quantile.record(h.quantile(QUANTILES[i]), k.quantiles[i]);
                }
                if (k.count != null) {
                    k.count.record(h.count(), k.attributes);
                }
            }
            if (k.count == null) {
                continue;
            }
            for (HourlyRollup s : series.getOrDefault(k.key, List.of())) {
                Attributes[] a = s.count() > 0 ? k.of(s) : null;
                if (a != null) {
                    k.count.record(s.count(), a[0]);
                    k.mean.record(s.mean(), a[0]);
                    for (int i = 0; i < QUANTILES.length; i++) {
                        k.quantile.record(s.quantile(QUANTILES[i]), a[i + 1]);
                    }
                }
            }
        }
        PublishStats stats = runtime.stats();
        valuesAccepted.record(stats.totalAccepted());
        Map<RejectReason, Long> rejected = stats.totalRejectedByReason();
        reasons.forEach((r, attributes) -> valuesRejected.record(rejected.getOrDefault(r, 0L), attributes));
        rawDropped.record(stats.totalRawDropped());
        try {
            runtime.cognition().ifPresent(c -> {
                for (DomainStatus d : c.status().domains()) {
                    Attributes attributes = domains.get(d.domain());
                    if (attributes != null) {
                        score(health, d.scores().health(), attributes);
                        score(trust, d.scores().trust(), attributes);
                        score(confidence, d.scores().confidence(), attributes);
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Grace's scores could not be read for OpenTelemetry; left out of this collection: {}", e.toString());
        }
    }

    private static void score(ObservableDoubleMeasurement m, Double value, Attributes attributes) {
        if (value != null) {
            m.record(value, attributes);
        }
    }

    /** Stops observing: from the next collection on, the instruments report nothing. */
    @Override
    public void close() {
        callback.close();
    }
}
