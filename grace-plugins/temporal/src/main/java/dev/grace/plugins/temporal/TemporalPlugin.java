package dev.grace.plugins.temporal;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginConfig;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * The temporal domain's plugin: forecasts every KPI's next hourly mean from the runtime's rollup
 * history with Holt's linear trend ({@link Holt}) and scores each forecast when its hour closes
 * ({@link Forecaster}) against the naive "same as last hour" forecast. It has no health figure until
 * a forecast of a series that moves has been scored: {@code minHistory} closed hours and one more. Pending forecasts are kept in the plugin's data directory
 * ({@code pending.tsv}), so a restart does not lose them.
 *
 * <p>Config ({@code plugins.temporal.*}): {@code interval} ({@code 10s}), {@code history}
 * ({@code 48h}), {@code minHistory} ({@code 3} closed hours), {@code alpha} and {@code beta} (fixed
 * smoothing constants, both or neither; by default fitted per KPI and hour). See {@code docs/plugins.md}.
 */
public final class TemporalPlugin implements DomainPlugin {

    static final Kpi FORECAST_SKILL = Kpi.builder("forecast_skill", Kpi.Unit.RATIO).healthBearing()
            .description("1 / (1 + MASE) of the forecasts scored in a round against the naive 'same as last hour'"
                    + " forecast, over series that are not constant: 0.5 is no better than naive")
            .build();
    static final Kpi PREDICTION_ACCURACY = Kpi.builder("prediction_accuracy", Kpi.Unit.RATIO)
            .description("1 - mean absolute percentage error of the forecasts scored in a round (non-zero actuals),"
                    + " clamped to 0..1; not health-bearing: forecasting a constant scores 1")
            .build();
    // grows with elapsed hours, not with the work: a fresh install would start at 0, so it only informs
    static final Kpi GRAPH_COMPLETENESS = Kpi.builder("graph_completeness", Kpi.Unit.RATIO)
            .description("Declared KPIs with at least minHistory closed hours of history / declared KPIs")
            .build();
    static final Kpi EVENT_LATENCY = Kpi.builder("event_latency", Kpi.Unit.SECONDS).lowerIsBetter()
            .description("Seconds from a forecast hour's end to its scoring, on the runtime's clock").build();
    static final Kpi FORECASTS = Kpi.builder("forecasts", Kpi.Unit.COUNT)
            .description("Forecasts held for the open hour, one per KPI with enough history").build();

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.temporal");

    private MetricPublisher publisher;
    private Forecaster forecaster;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("temporal").domain("temporal").version("0.1.0").apiRange("[0.1,1)")
                .description("Forecasts each KPI's next hourly mean and scores the forecasts").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(FORECAST_SKILL, PREDICTION_ACCURACY, GRAPH_COMPLETENESS, EVENT_LATENCY, FORECASTS);
    }

    @Override
    public void start(PluginContext context) {
        PluginConfig config = context.config();
        Duration interval = config.duration("interval", Duration.ofSeconds(10));
        Duration history = config.duration("history", Duration.ofHours(48));
        int minHistory = config.integer("minHistory", Holt.MIN_VALUES);
        OptionalDouble alpha = constant(config, "alpha");
        OptionalDouble beta = constant(config, "beta");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("plugins.temporal.interval: must be positive, got " + interval);
        }
        if (minHistory < Holt.MIN_VALUES) {
            throw new IllegalArgumentException("plugins.temporal.minHistory: must be at least " + Holt.MIN_VALUES
                    + " closed hours (two to start the trend, one to judge the smoothing by), got " + minHistory);
        }
        if (history.compareTo(Duration.ofHours(minHistory)) < 0) {
            throw new IllegalArgumentException("plugins.temporal.history: must cover minHistory (" + minHistory
                    + "h), got " + history);
        }
        if (alpha.isPresent() != beta.isPresent()) {
            throw new IllegalArgumentException("plugins.temporal.alpha and plugins.temporal.beta: set both or"
                    + " neither, got only " + (alpha.isPresent() ? "alpha" : "beta"));
        }
        publisher = context.publisher();
        forecaster = new Forecaster(context.runtime(), context.clock(),
                new PendingForecasts(context.dataDirectory().resolve("pending.tsv")), history, minHistory, alpha, beta);
        context.scheduler().scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static OptionalDouble constant(PluginConfig config, String key) {
        if (config.string(key).isEmpty()) {
            return OptionalDouble.empty();
        }
        double v = config.number(key, 0);
        if (!(v > 0 && v < 1)) {
            throw new IllegalArgumentException("plugins.temporal." + key + ": a smoothing constant must be"
                    + " between 0 and 1 (exclusive), got " + v);
        }
        return OptionalDouble.of(v);
    }

    private void round() {
        Forecaster.Round r = forecaster.run();
        r.skill().ifPresent(a -> publisher.record(FORECAST_SKILL, a));
        r.accuracy().ifPresent(a -> publisher.record(PREDICTION_ACCURACY, a));
        r.latencies().forEach(l -> publisher.record(EVENT_LATENCY, l));
        r.completeness().ifPresent(c -> publisher.record(GRAPH_COMPLETENESS, c));
        publisher.record(FORECASTS, r.forOpenHour());
        if (!r.scored().isEmpty() || r.expired() > 0 || r.made() > 0) {
            LOG.info("scored {} forecasts (accuracy {}), dropped {} whose hour had no values, made {} for {}",
                    r.scored().size(), r.accuracy(), r.expired(), r.made(), r.openHour());
        }
    }
}
