package dev.grace.admin.internal;

import dev.grace.api.GraceApi;
import dev.grace.api.Kpi;
import dev.grace.api.SeriesKey;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.runtime.store.RollupQuery;
import dev.grace.runtime.store.SeriesGroups;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The runtime's endpoints (health, metrics, plugins, rollups), each reading the runtime through {@link AdminBackend} and answering
 * with a {@link Reply}. Every user mistake is an {@link HttpError} naming the parameter.
 */
final class AdminRoutes {

    /** An attribute key as {@link Kpi.Attribute} allows it. */
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private final AdminBackend backend;
    private final StoreProbe store;
    private final ScoreSnapshot scores;
    private final Map<Integer, Long> served;

    /**
     * @param scores cognition's scores, read off the request threads
     * @param served requests answered so far, by status, for {@code /metrics}
     */
    AdminRoutes(AdminBackend backend, StoreProbe store, ScoreSnapshot scores, Map<Integer, Long> served) {
        this.backend = backend;
        this.store = store;
        this.scores = scores;
        this.served = served;
    }

    /** Adds this class's endpoints. */
    void addTo(Router router) {
        router.getInline("/health", this::health)
                .getInline("/health/live", this::live)
                .getInline("/health/ready", this::ready)
                .get("/metrics", this::metrics)
                .get("/api/plugins", this::plugins)
                .get("/api/rollups", this::rollups);
    }

    // --- /api/plugins ----------------------------------------------------------------------------

    Reply plugins(AdminRequest r) {
        r.onlyParameters();
        PublishStats stats = backend.stats();
        Instant hour = backend.memory().currentHour();
        Map<String, HourlyRollup> current = new LinkedHashMap<>();
        for (HourlyRollup h : backend.memory().hour(hour)) {
            current.put(h.domain() + '/' + h.kpi(), h);
        }
        List<Map<String, Object>> plugins = new ArrayList<>();
        for (PluginStatus p : backend.plugins()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("domain", p.domain());
            m.put("version", p.version());
            m.put("state", p.state().name());
            m.put("cause", p.cause());
            m.put("source", p.source());
            m.put("restarts", p.restarts());
            m.put("warnings", p.warnings());
            List<Map<String, Object>> kpis = new ArrayList<>();
            for (Kpi k : p.kpis()) {
                kpis.add(kpi(k, current.get(p.domain() + '/' + k.name())));
            }
            m.put("kpis", kpis);
            m.put("published", figures(stats.perPlugin().get(p.id())));
            plugins.add(m);
        }
        Map<String, Object> http = new TreeMap<>();
        stats.perPlugin().forEach((id, f) -> {
            if (id.startsWith("http:")) {
                http.put(id.substring(5), figures(f));
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hour", hour);
        body.put("plugins", plugins);
        body.put("http", http);
        body.put("totals", Map.of("accepted", stats.totalAccepted(), "rejected", stats.totalRejected(),
                "rawDropped", stats.totalRawDropped()));
        return Reply.json(200, body);
    }

    private static Map<String, Object> kpi(Kpi k, HourlyRollup hour) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", k.name());
        m.put("unit", k.unit().name());
        m.put("direction", k.direction().name());
        m.put("healthBearing", k.healthBearing());
        m.put("target", k.target().isPresent() ? k.target().getAsDouble() : null);
        m.put("min", finite(k.min()));
        m.put("max", finite(k.max()));
        m.put("description", k.description());
        List<Map<String, Object>> attributes = new ArrayList<>();
        for (Kpi.Attribute a : k.attributes()) {
            Map<String, Object> attribute = new LinkedHashMap<>();
            attribute.put("key", a.key());
            attribute.put("allowed", a.allowed());
            attributes.add(attribute);
        }
        m.put("attributes", attributes);
        m.put("maxSeries", k.maxSeries());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("count", hour == null ? 0 : hour.count());
        h.put("mean", hour == null ? null : finite(hour.mean()));
        h.put("p95", hour == null ? null : finite(hour.quantile(0.95)));
        m.put("currentHour", h);
        return m;
    }

    private static Map<String, Object> figures(PublishStats.PluginFigures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", f == null ? 0 : f.accepted());
        m.put("rejected", f == null ? Map.of() : new TreeMap<>(f.rejected()));
        m.put("rawDropped", f == null ? 0 : f.rawDropped());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    // --- /api/rollups ----------------------------------------------------------------------------

    Reply rollups(AdminRequest r) {
        r.onlyParameters("domain", "kpi", "period", "since", "by");
        String domain = AdminRequest.name("domain", r.required("domain"));
        String kpi = AdminRequest.name("kpi", r.required("kpi"));
        String by = r.parameter("by") == null ? null : attributeKey(domain, kpi, r.parameter("by"));
        Period period;
        try {
            period = Period.parse(r.parameter("period") == null ? "hour" : r.parameter("period"));
        } catch (IllegalArgumentException e) {
            throw HttpError.badParameter("period", "expected hour, day or week, got \"" + r.parameter("period") + "\"");
        }
        Duration dflt = switch (period) {
            case HOUR -> Duration.ofHours(24);
            case DAY -> Duration.ofDays(30);
            case WEEK -> Duration.ofDays(182);
        };
        Instant since = r.instantParameter("since", dflt, backend.clock());
        RollupQuery reader = backend.store();
        List<Map<String, Object>> rows = new ArrayList<>();
        String source;
        if (reader != null) {
            store.requireReachable();
            source = "store";
            List<PeriodRollup> stored = by == null ? reader.rollups(domain, kpi, period, since)
                    : reader.rollupsBy(domain, kpi, by, period, since);
            for (PeriodRollup p : stored) {
                rows.add(row(p, by != null));
            }
        } else if (period == Period.HOUR) {
            source = "memory";
            Instant from = Instant.ofEpochMilli(Period.HOUR.start(since.toEpochMilli()));
            List<HourlyRollup> held = by == null ? backend.memory().of(domain, kpi)
                    : SeriesGroups.by(by, backend.memory().series(domain, kpi));
            for (HourlyRollup h : held) {
                if (h.count() > 0 && !h.hourStart().isBefore(from)) {
                    rows.add(row(PeriodRollup.of(Period.HOUR, h, 1), by != null));
                }
            }
        } else {
            throw new HttpError(503, "period", "period: the store is off (store.enabled=false); only period=hour is"
                    + " served, from the hours held in memory");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain);
        body.put("kpi", kpi);
        body.put("period", period.key());
        body.put("since", since);
        if (by != null) {
            body.put("by", by);
        }
        body.put("source", source);
        body.put("rollups", rows);
        return Reply.json(200, body);
    }

    /**
     * {@code by}, checked against the KPI's declaration when a plugin of the runtime declares it (a KPI
     * only the store still knows is read by any well-formed key).
     */
    private String attributeKey(String domain, String kpi, String key) {
        for (PluginStatus p : backend.plugins()) {
            if (!domain.equals(p.domain())) {
                continue;
            }
            for (Kpi k : p.kpis()) {
                if (!k.name().equals(kpi)) {
                    continue;
                }
                if (k.attribute(key) != null) {
                    return key;
                }
                if (!k.hasAttributes()) {
                    throw HttpError.badParameter("by", "KPI " + kpi + " of domain " + domain + " declares no"
                            + " attributes, so it has no series; leave out by for its totals");
                }
                throw HttpError.badParameter("by", "KPI " + kpi + " of domain " + domain + " declares no attribute '"
                        + key + "'; its attributes: " + String.join(", ", k.attributes().stream()
                        .map(Kpi.Attribute::key).toList()));
            }
        }
        if (!ATTRIBUTE_KEY.matcher(key).matches()) {
            throw HttpError.badParameter("by", "expected an attribute key such as connector ([a-z][a-z0-9_]{0,31}),"
                    + " got \"" + key + "\"");
        }
        return key;
    }

    /** One period's figures; with {@code series}, the row's series key and attributes first. */
    private static Map<String, Object> row(PeriodRollup p, boolean series) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (series) {
            m.put("series", p.series());
            m.put("attributes", p.attributes());
        }
        m.put("start", p.start());
        m.put("count", p.count());
        m.put("sum", p.sum());
        m.put("mean", finite(p.mean()));
        m.put("min", finite(p.min()));
        m.put("max", finite(p.max()));
        m.put("stddev", finite(p.stddev()));
        m.put("p50", finite(p.p50()));
        m.put("p95", finite(p.p95()));
        m.put("p99", finite(p.p99()));
        m.put("nodes", p.nodes());
        return m;
    }

    // --- /health ---------------------------------------------------------------------------------

    /** The runtime runs and the store (when on) answered its latest check. */
    Reply health(AdminRequest r) {
        r.onlyParameters();
        return healthReply(false);
    }

    /** The process serves: never reads the runtime or the store, so it answers while they are stuck. */
    Reply live(AdminRequest r) {
        r.onlyParameters();
        return Reply.json(200, Map.of("status", "up"));
    }

    /** {@code /health}, and no plugin still starting: whether to send traffic here. */
    Reply ready(AdminRequest r) {
        r.onlyParameters();
        return healthReply(true);
    }

    private Reply healthReply(boolean readiness) {
        List<String> problems = new ArrayList<>();
        boolean running = backend.running();
        if (!running) {
            problems.add("the runtime is not running (not started, or stopping)");
        }
        AdminBackend.StoreHealth storeHealth = store.current();
        if (storeHealth.enabled() && !storeHealth.reachable()) {
            problems.add("the store does not answer: " + storeHealth.location());
        }
        Map<String, Long> states = new TreeMap<>();
        List<String> starting = new ArrayList<>();
        for (PluginStatus p : backend.plugins()) {
            states.merge(p.state().name(), 1L, Long::sum);
            if (p.state() == PluginState.DISCOVERED || p.state() == PluginState.STARTING) {
                starting.add(p.id());
            }
        }
        if (readiness && !starting.isEmpty()) {
            problems.add("plugins not started yet: " + String.join(", ", starting));
        }
        if (readiness && storeHealth.stuckSince() != null) {
            problems.add("the store's writer has been retrying a failed write since " + storeHealth.stuckSince());
        }
        Map<String, Object> storeJson = new LinkedHashMap<>();
        storeJson.put("enabled", storeHealth.enabled());
        storeJson.put("reachable", storeHealth.reachable());
        storeJson.put("location", storeHealth.location());
        storeJson.put("stuckSince", storeHealth.stuckSince());
        storeJson.put("rawEventsRefused", storeHealth.rawEventsRefused());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "up" : "down");
        body.put("reason", problems.isEmpty() ? null : String.join("; ", problems));
        body.put("runtime", running ? "running" : "stopped");
        body.put("store", storeJson);
        body.put("plugins", states);
        body.put("cognition", backend.cognition().isPresent());
        return Reply.json(problems.isEmpty() ? 200 : 503, body);
    }

    // --- /metrics --------------------------------------------------------------------------------

    Reply metrics(AdminRequest r) {
        r.onlyParameters();
        PrometheusText text = new PrometheusText();
        text.info("grace_build", "The Grace version serving, and the Java it runs on.")
                .info("version", GraceApi.version(), "java_version", System.getProperty("java.version"));
        text.gauge("grace_up", "1 while the runtime runs, 0 while it starts or stops.", null)
                .sample(backend.running() ? 1 : 0);
        List<PluginStatus> plugins = backend.plugins();
        Map<PluginState, Long> byState = new EnumMap<>(PluginState.class);
        for (PluginState s : PluginState.values()) {
            byState.put(s, 0L);
        }
        plugins.forEach(p -> byState.merge(p.state(), 1L, Long::sum));
        PrometheusText.Family states = text.gauge("grace_plugins", "Plugins by lifecycle state.", null);
        byState.forEach((s, n) -> states.sample(n, "state", s.name()));
        PrometheusText.Family restarts = text.counter("grace_plugin_restarts", "Restarts of a plugin by the supervisor.");
        plugins.forEach(p -> restarts.sample(p.restarts(), "plugin", p.id()));
        PublishStats stats = backend.stats();
        PrometheusText.Family accepted = text.counter("grace_values_accepted", "Values accepted, per publisher (plugin id, or http:<domain> for values posted over HTTP).");
        PrometheusText.Family rejected = text.counter("grace_values_rejected", "Values rejected, per publisher and reason.");
        PrometheusText.Family dropped = text.counter("grace_raw_events_dropped", "Raw events dropped (queue full or sink failing); the values stay in the rollups.");
        PrometheusText.Family refused = text.counter("grace_raw_events_refused", "Raw events the database refused for what they hold (too long, a bad character), each dropped alone; the values stay in the rollups.");
        stats.perPlugin().forEach((id, f) -> {
            accepted.sample(f.accepted(), "publisher", id);
            f.rejected().forEach((reason, n) -> rejected.sample(n, "publisher", id, "reason", reason.name()));
            dropped.sample(f.rawDropped(), "publisher", id);
            refused.sample(f.rawRefused(), "publisher", id);
        });
        AdminBackend.StoreHealth storeHealth = store.current();
        if (storeHealth.enabled()) {
            text.gauge("grace_store_up", "1 when the store answered its latest check (once a second), else 0.", null)
                    .sample(storeHealth.reachable() ? 1 : 0);
            text.gauge("grace_store_writer_stuck_seconds", "How long the store's writer has been retrying a failed"
                    + " write; 0 while writes succeed.", "seconds").sample(storeHealth.stuckSince() == null ? 0
                    : Math.max(0, Duration.between(storeHealth.stuckSince(), backend.clock().instant()).toSeconds()));
            text.counter("grace_store_rollup_values_lost", "Accepted values missing from the stored rollups: hours"
                    + " the database did not take and the journal could not hold (store.journal.maxBytes), or"
                    + " without a journal.").sample(storeHealth.rollupValuesLost());
            text.gauge("grace_store_journal_bytes", "Bytes the store's journal holds, waiting for the database;"
                    + " 0 when everything is written.", "bytes").sample(storeHealth.journalBytes());
        }
        Map<String, Kpi> declared = new HashMap<>();
        for (PluginStatus p : plugins) {
            p.kpis().forEach(k -> declared.putIfAbsent(p.domain() + '/' + k.name(), k));
        }
        Map<String, Integer> seriesShown = new HashMap<>();
        double[] quantiles = new double[PrometheusText.QUANTILES.length];
        for (HourlyRollup h : backend.memory().hourWithSeries(backend.memory().currentHour())) {
            if (h.count() == 0) {
                continue;
            }
            String id = h.domain() + '/' + h.kpi();
            Kpi kpi = declared.get(id);
            String[] labels;
            if (h.isTotal()) {
                labels = new String[] {"domain", h.domain(), "kpi", h.kpi()};
            } else {
                // the runtime binds at most maxSeries sets per KPI; the cap makes the scrape's bound visible here too
                int limit = kpi == null ? Kpi.DEFAULT_MAX_SERIES : kpi.maxSeries();
                if (!SeriesKey.isOverflow(h.series()) && seriesShown.merge(id, 1, Integer::sum) > limit) {
                    continue;
                }
                labels = SeriesLabels.of(kpi, h);
            }
            KpiFamily family = kpi == null ? KpiFamily.UNDECLARED : KpiFamily.of(kpi.unit());
            double d = family.divisor();
            for (int i = 0; i < quantiles.length; i++) {
                double q = PrometheusText.QUANTILES[i];
                quantiles[i] = (q == 0 ? h.min() : q == 1 ? h.max() : h.quantile(q)) / d;
            }
            text.summary(family.name(), "The current hour's values per domain and KPI, in the family's unit"
                            + " (quantile 0 is the smallest, 1 the largest; _count and _sum start again every hour)."
                            + " A KPI's series carry their attributes as labels beside its total, which has none;"
                            + " its overflow series carries " + SeriesLabels.OVERFLOW + "=\"true\".",
                    family.unit()).summary(h.count(), h.sum() / d, quantiles, labels);
        }
        Optional<Status> current = scores.current(); // from memory: a scrape never waits on the store
        if (current.isPresent()) {
            Status status = current.get();
            PrometheusText.Family scoreFamily = text.gauge("grace_cognition_score_ratio", "Cognition's scores of the"
                    + " current hour (0..1), per domain; without a domain label, the overall scores.", "ratio");
            scores(scoreFamily, status.overall());
            status.domains().forEach(d -> scores(scoreFamily, d.scores(), "domain", d.domain()));
        }
        PrometheusText.Family requests = text.counter("grace_http_requests", "Admin HTTP requests answered, by status code.");
        served.forEach((code, n) -> requests.sample(n, "code", Integer.toString(code)));
        PrometheusText.Format format = PrometheusText.Format.accepted(r.header("Accept"));
        return new Reply(200, format.contentType(), text.render(format));
    }

    private static void scores(PrometheusText.Family family, Scores s, String... domain) {
        score(family, "health", s.health(), domain);
        score(family, "trust", s.trust(), domain);
        score(family, "confidence", s.confidence(), domain);
    }

    private static void score(PrometheusText.Family family, String score, Double value, String... domain) {
        if (value != null) {
            String[] labels = Arrays.copyOf(domain, domain.length + 2);
            labels[domain.length] = "score";
            labels[domain.length + 1] = score;
            family.sample(value, labels);
        }
    }
}
