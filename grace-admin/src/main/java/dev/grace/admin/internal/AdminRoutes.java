package dev.grace.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.grace.runtime.extension.DomainPublishing;
import dev.grace.api.Kpi;
import dev.grace.api.RejectReason;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.cognition.Scores;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.runtime.store.RollupQuery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The admin API's endpoints, each reading the runtime through {@link AdminBackend} and answering
 * with a {@link Reply}. Every user mistake is an {@link HttpError} naming the parameter.
 */
final class AdminRoutes {

    /** Reports go here, one Markdown file per generation, named by time so the newest sorts last. */
    static final String REPORTS = "reports";

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
            .build();
    /** Reads request bodies; NaN and Infinity are let through so that the publisher rejects and counts them. */
    private static final ObjectMapper BODY = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final AdminBackend backend;
    private final Map<Integer, Long> served;

    /** @param served requests answered so far, by status, for {@code /metrics} */
    AdminRoutes(AdminBackend backend, Map<Integer, Long> served) {
        this.backend = backend;
        this.served = served;
    }

    /** What to send back. */
    record Reply(int status, String contentType, byte[] body) {
        static Reply json(int status, Object value) {
            try {
                return new Reply(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON for " + value.getClass().getName(), e);
            }
        }

        static Reply error(HttpError e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            if (e.parameter() != null) {
                body.put("parameter", e.parameter());
            }
            body.put("status", e.status());
            return json(e.status(), body);
        }
    }

    // --- /api/plugins ----------------------------------------------------------------------------

    Reply plugins(Request r) {
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

    Reply rollups(Request r) {
        r.onlyParameters("domain", "kpi", "period", "since");
        String domain = Request.name("domain", r.required("domain"));
        String kpi = Request.name("kpi", r.required("kpi"));
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
        RollupQuery store = backend.store();
        List<Map<String, Object>> rows = new ArrayList<>();
        String source;
        if (store != null) {
            source = "store";
            for (PeriodRollup p : store.rollups(domain, kpi, period, since)) {
                rows.add(row(p));
            }
        } else if (period == Period.HOUR) {
            source = "memory";
            Instant from = Instant.ofEpochMilli(Period.HOUR.start(since.toEpochMilli()));
            for (HourlyRollup h : backend.memory().of(domain, kpi)) {
                if (h.count() > 0 && !h.hourStart().isBefore(from)) {
                    rows.add(row(PeriodRollup.of(Period.HOUR, h, 1)));
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
        body.put("source", source);
        body.put("rollups", rows);
        return Reply.json(200, body);
    }

    private static Map<String, Object> row(PeriodRollup p) {
        Map<String, Object> m = new LinkedHashMap<>();
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

    Reply health(Request r) {
        r.onlyParameters();
        List<String> problems = new ArrayList<>();
        boolean running = backend.running();
        if (!running) {
            problems.add("the runtime is not running (not started, or stopping)");
        }
        AdminBackend.StoreHealth store = backend.storeHealth();
        if (store.enabled() && !store.reachable()) {
            problems.add("the store does not answer: " + store.location());
        }
        Map<String, Long> states = new TreeMap<>();
        for (PluginStatus p : backend.plugins()) {
            states.merge(p.state().name(), 1L, Long::sum);
        }
        Map<String, Object> storeJson = new LinkedHashMap<>();
        storeJson.put("enabled", store.enabled());
        storeJson.put("reachable", store.reachable());
        storeJson.put("location", store.location());
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

    Reply metrics(Request r) {
        r.onlyParameters();
        PrometheusText text = new PrometheusText();
        text.gauge("grace_up", "1 while the runtime runs, 0 while it starts or stops.", backend.running() ? 1 : 0);
        List<PluginStatus> plugins = backend.plugins();
        Map<PluginState, Long> byState = new EnumMap<>(PluginState.class);
        for (PluginState s : PluginState.values()) {
            byState.put(s, 0L);
        }
        plugins.forEach(p -> byState.merge(p.state(), 1L, Long::sum));
        byState.forEach((s, n) -> text.gauge("grace_plugins", "Plugins by lifecycle state.", n, "state", s.name()));
        text.declare("grace_plugin_restarts_total", "counter", "Restarts of a plugin by the supervisor.");
        plugins.forEach(p -> text.counter("grace_plugin_restarts_total", "", p.restarts(), "plugin", p.id()));
        PublishStats stats = backend.stats();
        text.declare("grace_values_accepted_total", "counter", "Values accepted, per publisher (plugin id, or http:<domain> for values posted over HTTP).");
        text.declare("grace_values_rejected_total", "counter", "Values rejected, per publisher and reason.");
        text.declare("grace_raw_events_dropped_total", "counter", "Raw events dropped (queue full or sink failing); the values stay in the rollups.");
        new TreeMap<>(stats.perPlugin()).forEach((id, f) -> {
            text.counter("grace_values_accepted_total", "", f.accepted(), "publisher", id);
            f.rejected().forEach((reason, n) ->
                    text.counter("grace_values_rejected_total", "", n, "publisher", id, "reason", reason.name()));
            text.counter("grace_raw_events_dropped_total", "", f.rawDropped(), "publisher", id);
        });
        AdminBackend.StoreHealth store = backend.storeHealth();
        if (store.enabled()) {
            text.gauge("grace_store_up", "1 when the store answered this scrape's check, else 0.", store.reachable() ? 1 : 0);
        }
        Instant hour = backend.memory().currentHour();
        String[][] kpiFamilies = {
                {"grace_kpi_hour_count", "Values accepted in the current hour, per domain and KPI."},
                {"grace_kpi_hour_mean", "Mean of the current hour's values."},
                {"grace_kpi_hour_min", "Smallest of the current hour's values."},
                {"grace_kpi_hour_max", "Largest of the current hour's values."},
                {"grace_kpi_hour_p95", "95th percentile (nearest rank, within 1%) of the current hour's values."}};
        for (String[] f : kpiFamilies) {
            text.declare(f[0], "gauge", f[1]);
        }
        for (HourlyRollup h : backend.memory().hour(hour)) {
            if (h.count() == 0) {
                continue;
            }
            String[] labels = {"domain", h.domain(), "kpi", h.kpi()};
            text.gauge("grace_kpi_hour_count", "", h.count(), labels);
            text.gauge("grace_kpi_hour_mean", "", h.mean(), labels);
            text.gauge("grace_kpi_hour_min", "", h.min(), labels);
            text.gauge("grace_kpi_hour_max", "", h.max(), labels);
            text.gauge("grace_kpi_hour_p95", "", h.quantile(0.95), labels);
        }
        Optional<CognitionReader> cognition = backend.cognition();
        if (cognition.isPresent()) {
            Status status = cognition.get().status();
            scores(text, "overall", status.overall());
            status.domains().forEach(d -> scores(text, d.domain(), d.scores()));
        }
        text.declare("grace_http_requests_total", "counter", "Admin HTTP requests answered, by status code.");
        new TreeMap<>(served).forEach((code, n) ->
                text.counter("grace_http_requests_total", "", n, "code", Integer.toString(code)));
        return new Reply(200, PrometheusText.CONTENT_TYPE, text.render().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void scores(PrometheusText text, String scope, Scores s) {
        String help = "Cognition's score of the current hour (0..1), per scope (overall or a domain).";
        if (s.health() != null) {
            text.gauge("grace_cognition_score", help, s.health(), "scope", scope, "score", "health");
        }
        if (s.trust() != null) {
            text.gauge("grace_cognition_score", help, s.trust(), "scope", scope, "score", "trust");
        }
        if (s.confidence() != null) {
            text.gauge("grace_cognition_score", help, s.confidence(), "scope", scope, "score", "confidence");
        }
    }

    // --- /api/cognition/* ------------------------------------------------------------------------

    private CognitionReader cognition() {
        return backend.cognition().orElseThrow(() -> new HttpError(503, null,
                "cognition is not available in this runtime (it is off, or not started yet)"));
    }

    Reply status(Request r) {
        r.onlyParameters("hour");
        CognitionReader c = cognition();
        String hour = r.parameter("hour");
        if (hour == null) {
            return Reply.json(200, c.status());
        }
        try {
            return Reply.json(200, c.status(Instant.parse(hour)));
        } catch (DateTimeParseException e) {
            throw HttpError.badParameter("hour", "expected an ISO-8601 instant such as 2024-05-01T13:00:00Z, got \""
                    + hour + "\"");
        }
    }

    Reply readiness(Request r) {
        r.onlyParameters();
        return Reply.json(200, cognition().readiness());
    }

    Reply benchmark(Request r, String metric) {
        r.onlyParameters("since");
        Request.name("metric", metric);
        CognitionReader c = cognition();
        Instant since = r.instantParameter("since", Duration.ofDays(7), backend.clock());
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("metric", metric);
            body.put("since", since);
            body.put("history", c.history(metric, since));
            return Reply.json(200, body);
        } catch (IllegalArgumentException unknown) {
            throw new HttpError(404, "metric", "metric: " + unknown.getMessage());
        }
    }

    Reply alerts(Request r) {
        r.onlyParameters("limit");
        int limit = r.intParameter("limit", 50, 1, 1000);
        CognitionReader c = cognition();
        return Reply.json(200, Map.of("alerts", c.alerts(limit)));
    }

    Reply generateReport(Request r) throws IOException {
        r.onlyParameters();
        r.body(); // nothing is read from it, but its size is still checked
        CognitionReader c = cognition();
        Instant now = backend.clock().instant();
        Path dir = backend.dataDir().resolve(REPORTS);
        Files.createDirectories(dir);
        String stamp = now.toString().replace(":", "").replace("-", "");
        Path written = c.writeReport(dir.resolve("readiness-" + stamp + ".md"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("generatedAt", now);
        body.put("path", written.toAbsolutePath().toString());
        body.put("latest", "/api/cognition/report/latest");
        return Reply.json(201, body);
    }

    Reply latestReport(Request r) throws IOException {
        r.onlyParameters();
        Path dir = backend.dataDir().resolve(REPORTS);
        Optional<Path> latest = Optional.empty();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                latest = files.filter(f -> f.getFileName().toString().matches("readiness-[0-9TZ.]+\\.md"))
                        .max(Comparator.comparing(f -> f.getFileName().toString()));
            }
        }
        if (latest.isEmpty()) {
            throw HttpError.notFound("no report yet: POST /api/cognition/report/generate writes one");
        }
        return new Reply(200, "text/markdown; charset=utf-8", Files.readAllBytes(latest.get()));
    }

    // --- POST /api/cognition/domain/{domain}/update ------------------------------------------------

    Reply update(Request r, String domain) throws IOException {
        r.onlyParameters();
        Request.name("domain", domain);
        DomainPublishing publishers = backend.publishers();
        if (publishers == null || !publishers.domains().contains(domain)) {
            throw HttpError.notFound("unknown domain " + domain + "; domains with plugins: "
                    + (publishers == null ? "none" : String.join(", ", publishers.domains())));
        }
        JsonNode root;
        try {
            root = BODY.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw HttpError.badParameter("body", "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject() || !root.path("values").isArray()) {
            throw HttpError.badParameter("values", "expected {\"values\": [{\"kpi\": \"...\", \"value\": 0.9}, ...]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("values")) {
                throw HttpError.badParameter(field, "unknown field; the body has only \"values\"");
            }
        }
        JsonNode values = root.get("values");
        if (values.isEmpty()) {
            throw HttpError.badParameter("values", "empty; send at least one value");
        }
        List<Value> parsed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            parsed.add(Value.of(values.get(i), "values[" + i + "]"));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        int accepted = 0;
        for (Value v : parsed) {
            RejectReason reason = publishers.publish(domain, v.kpi(), v.value(), v.at(), v.metadata());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kpi", v.kpi());
            m.put("accepted", reason == null);
            if (reason == null) {
                accepted++;
            } else {
                m.put("reason", reason.name());
            }
            results.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain);
        body.put("accepted", accepted);
        body.put("rejected", parsed.size() - accepted);
        body.put("results", results);
        return Reply.json(200, body);
    }

    /** One posted value, its shape checked; its content is the publisher's to judge. */
    private record Value(String kpi, double value, Instant at, Map<String, String> metadata) {

        static Value of(JsonNode n, String where) {
            if (n == null || !n.isObject()) {
                throw HttpError.badParameter(where, "expected an object {\"kpi\": \"...\", \"value\": 0.9}");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!List.of("kpi", "value", "timestamp", "metadata").contains(field)) {
                    throw HttpError.badParameter(where + "." + field, "unknown field; known: kpi, value, timestamp, metadata");
                }
            }
            JsonNode kpi = n.get("kpi");
            if (kpi == null || !kpi.isTextual() || kpi.asText().isBlank()) {
                throw HttpError.badParameter(where + ".kpi", "required: the KPI's name as text");
            }
            JsonNode value = n.get("value");
            if (value == null || !value.isNumber()) {
                throw HttpError.badParameter(where + ".value", "required: a number");
            }
            Instant at = null;
            JsonNode ts = n.get("timestamp");
            if (ts != null && !ts.isNull()) {
                try {
                    at = Instant.parse(ts.asText());
                } catch (DateTimeParseException e) {
                    throw HttpError.badParameter(where + ".timestamp",
                            "expected an ISO-8601 instant such as 2024-05-01T13:45:00Z, got \"" + ts.asText() + "\"");
                }
            }
            Map<String, String> metadata = null;
            JsonNode meta = n.get("metadata");
            if (meta != null && !meta.isNull()) {
                if (!meta.isObject()) {
                    throw HttpError.badParameter(where + ".metadata", "expected an object of text values");
                }
                metadata = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        throw HttpError.badParameter(where + ".metadata." + e.getKey(), "expected text");
                    }
                    metadata.put(e.getKey(), e.getValue().asText());
                }
            }
            return new Value(kpi.asText(), value.asDouble(), at, metadata);
        }
    }
}
