package dev.grace.plugins.temporal;

import dev.grace.api.Kpi;
import dev.grace.api.RuntimeView;
import dev.grace.api.RuntimeView.HourPoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The temporal plugin's work, one round at a time: scores the pending forecasts whose hour has
 * closed, then forecasts the open hour's mean of every KPI that has enough closed hours of history.
 *
 * <p>A KPI is forecast once per hour, at the first round in that hour in which the runtime has
 * closed the hour before (a round that still sees an earlier hour open waits for the next). History
 * is the closed hours of the last {@code history}, taken as consecutive steps (an hour without
 * values is skipped, not filled); the forecast is {@code steps} ahead of the last closed hour, where
 * {@code steps} is the number of hours from it to the open hour, and is clamped to the KPI's valid
 * range.
 */
final class Forecaster {

    /** How long after its hour ends a forecast waits for that hour's values before it is dropped. */
    static final Duration EXPIRY = Duration.ofHours(1);

    private final RuntimeView runtime;
    private final Clock clock;
    private final PendingForecasts pending;
    private final Duration history;
    private final int minHistory;
    private final OptionalDouble alpha;
    private final OptionalDouble beta;

    /** For the open hour: per KPI ({@code domain\tkpi}), whether it had enough history. */
    private final Map<String, Boolean> evaluated = new HashMap<>();
    private Instant evaluatedHour;

    /**
     * @param alpha fixed smoothing constants, both present or both empty; empty means fitted per KPI
     *              by {@link Holt#fit(double[])}
     */
    Forecaster(RuntimeView runtime, Clock clock, PendingForecasts pending, Duration history, int minHistory,
               OptionalDouble alpha, OptionalDouble beta) {
        this.runtime = runtime;
        this.clock = clock;
        this.pending = pending;
        this.history = history;
        this.minHistory = minHistory;
        this.alpha = alpha;
        this.beta = beta;
    }

    /**
     * One scored forecast.
     *
     * @param forecast       what was forecast
     * @param actual         the hour's mean as the runtime rolled it up
     * @param latencySeconds scoring time minus the hour's end, on the runtime's clock
     * @param naive          the naive forecast: the mean of the last closed hour before the forecast
     *                       hour; null when the closed hours before it are constant (or absent), where
     *                       there is nothing to forecast and no skill to show
     */
    record Score(Forecast forecast, double actual, double latencySeconds, Double naive) {

        Score(Forecast forecast, double actual, double latencySeconds) {
            this(forecast, actual, latencySeconds, null);
        }

        /** The absolute percentage error; undefined (NaN) for a zero actual. */
        double ape() {
            return actual == 0 ? Double.NaN : Math.abs(forecast.predicted() - actual) / Math.abs(actual);
        }
    }

    /**
     * What one round did.
     *
     * @param scored       the forecasts scored, whose hour closed
     * @param expired      forecasts dropped because their hour had no values within {@link #EXPIRY}
     * @param made         forecasts made for the open hour in this round
     * @param openHour     the hour being forecast
     * @param forOpenHour  forecasts held for the open hour after this round
     * @param kpis         KPIs the runtime declares
     * @param ready        of those, how many had enough history for a forecast
     * @param waiting      KPIs not judged this round because the runtime had not yet closed the previous hour
     */
    record Round(List<Score> scored, int expired, int made, Instant openHour, int forOpenHour, int kpis, int ready,
                 int waiting) {

        /** 1 − the mean absolute percentage error of the scored forecasts whose actual is non-zero, clamped to 0..1. */
        OptionalDouble accuracy() {
            double sum = 0;
            int n = 0;
            for (Score s : scored) {
                double ape = s.ape();
                if (!Double.isNaN(ape)) {
                    sum += ape;
                    n++;
                }
            }
            return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.max(0, Math.min(1, 1 - sum / n)));
        }

        /**
         * Forecast skill against the naive "same as last hour" forecast, over the scored forecasts of
         * series that are not constant: {@code Σ|naive − actual| / (Σ|forecast − actual| + Σ|naive − actual|)},
         * which is {@code 1 / (1 + MASE)}: 1 for perfect forecasts, 0.5 for forecasts exactly as good as
         * the naive one, towards 0 for worse. Empty when no such forecast was scored or both errors are 0.
         */
        OptionalDouble skill() {
            double model = 0;
            double naive = 0;
            for (Score s : scored) {
                if (s.naive() != null) {
                    model += Math.abs(s.forecast().predicted() - s.actual());
                    naive += Math.abs(s.naive() - s.actual());
                }
            }
            return model + naive == 0 ? OptionalDouble.empty() : OptionalDouble.of(naive / (model + naive));
        }

        /** The scoring latency of each hour scored in this round, oldest hour first. */
        List<Double> latencies() {
            Map<Instant, Double> byHour = new TreeMap<>();
            scored.forEach(s -> byHour.put(s.forecast().hour(), s.latencySeconds()));
            return List.copyOf(byHour.values());
        }

        /** The share of KPIs with enough history; empty with no KPIs or while some wait for the hour to close. */
        OptionalDouble completeness() {
            return kpis == 0 || waiting > 0 ? OptionalDouble.empty() : OptionalDouble.of((double) ready / kpis);
        }
    }

    /** The last closed hour's mean before {@code f}'s hour, or null when those hours are constant or absent. */
    private Double naive(Forecast f) {
        List<HourPoint> before = new ArrayList<>();
        for (HourPoint p : runtime.hourly(f.domain(), f.kpi(), f.hour().minus(history))) {
            if (p.closed() && p.hour().isBefore(f.hour())) {
                before.add(p);
            }
        }
        if (before.stream().mapToDouble(HourPoint::mean).distinct().count() < 2) {
            return null;
        }
        return before.get(before.size() - 1).mean();
    }

    /** Runs one round at the clock's current time. */
    Round run() {
        Instant now = clock.instant();
        Instant openHour = now.truncatedTo(ChronoUnit.HOURS);
        boolean changed = false;

        List<Score> scored = new ArrayList<>();
        int expired = 0;
        for (Forecast f : pending.all()) {
            if (now.isBefore(f.hourEnd())) {
                continue;
            }
            HourPoint point = null;
            for (HourPoint p : runtime.hourly(f.domain(), f.kpi(), f.hour())) {
                if (p.hour().equals(f.hour())) {
                    point = p;
                }
            }
            if (point != null && point.closed()) {
                scored.add(new Score(f, point.mean(), Duration.between(f.hourEnd(), now).toMillis() / 1000.0,
                        naive(f)));
                pending.remove(f);
                changed = true;
            } else if (point == null && !now.isBefore(f.hourEnd().plus(EXPIRY))) {
                expired++;
                pending.remove(f);
                changed = true;
            }
        }

        if (!openHour.equals(evaluatedHour)) {
            evaluated.clear();
            evaluatedHour = openHour;
        }
        Map<String, RuntimeView.DomainKpi> kpis = new LinkedHashMap<>();
        for (RuntimeView.DomainKpi k : runtime.kpis()) {
            kpis.putIfAbsent(k.domain() + '\t' + k.kpi().name(), k);
        }
        evaluated.keySet().retainAll(kpis.keySet());
        int made = 0;
        int waiting = 0;
        for (Map.Entry<String, RuntimeView.DomainKpi> e : kpis.entrySet()) {
            if (evaluated.containsKey(e.getKey())) {
                continue;
            }
            String domain = e.getValue().domain();
            Kpi kpi = e.getValue().kpi();
            List<HourPoint> closed = new ArrayList<>();
            boolean previousOpen = false;
            for (HourPoint p : runtime.hourly(domain, kpi.name(), openHour.minus(history))) {
                if (p.hour().isBefore(openHour)) {
                    if (p.closed()) {
                        closed.add(p);
                    } else {
                        previousOpen = true;
                    }
                }
            }
            if (previousOpen) {
                waiting++;
                continue;
            }
            boolean ready = closed.size() >= minHistory;
            evaluated.put(e.getKey(), ready);
            if (ready && !pending.holds(domain, kpi.name(), openHour)) {
                double[] y = closed.stream().mapToDouble(HourPoint::mean).toArray();
                Holt holt = alpha.isPresent() ? Holt.smooth(y, alpha.getAsDouble(), beta.getAsDouble()) : Holt.fit(y);
                int steps = (int) Duration.between(closed.get(closed.size() - 1).hour(), openHour).toHours();
                double predicted = Math.max(kpi.min(), Math.min(kpi.max(), holt.forecast(steps)));
                if (Double.isFinite(predicted)) {
                    pending.add(new Forecast(domain, kpi.name(), openHour, predicted, now));
                    made++;
                    changed = true;
                }
            }
        }
        if (changed) {
            pending.save();
        }
        int ready = (int) evaluated.values().stream().filter(Boolean::booleanValue).count();
        return new Round(List.copyOf(scored), expired, made, openHour, pending.forHour(openHour), kpis.size(), ready,
                waiting);
    }
}
