package dev.grace.admin.internal;

import dev.grace.runtime.extension.DomainPublishing;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grace.api.RejectReason;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.cognition.CognitionReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Cognition's endpoints: scores, benchmarks, alerts and reports, and values posted over HTTP. Each
 * reads the runtime through {@link AdminBackend}; every user mistake is an {@link HttpError} naming
 * the parameter.
 */
final class CognitionRoutes {

    /** Reports go here, one Markdown file per generation, named by time so the newest sorts last. */
    static final String REPORTS = "reports";

    /** Reads request bodies; NaN and Infinity are let through so that the publisher rejects and counts them. */
    private static final ObjectMapper BODY = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final AdminBackend backend;
    private final StoreProbe store;

    CognitionRoutes(AdminBackend backend, StoreProbe store) {
        this.backend = backend;
        this.store = store;
    }

    /** Adds this class's endpoints. */
    void addTo(Router router) {
        router.get("/api/cognition/status", this::status)
                .get("/api/cognition/readiness", this::readiness)
                .get("/api/cognition/benchmark/{metric}", r -> benchmark(r, r.path("metric")))
                .get("/api/cognition/alerts", this::alerts)
                .get("/api/cognition/report/latest", this::latestReport)
                .post("/api/cognition/report/generate", this::generateReport)
                .post("/api/cognition/domains/{domain}/values", r -> update(r, r.path("domain")))
                // the path before the API named resources, not actions; kept as a documented alias
                .post("/api/cognition/domain/{domain}/update", r -> update(r, r.path("domain")));
    }

    // --- /api/cognition/* ------------------------------------------------------------------------

    /** Cognition's reader; every route here reads the store, so none waits on it while it is known down. */
    private CognitionReader cognition() {
        CognitionReader c = backend.cognition().orElseThrow(() -> new HttpError(503, null,
                "cognition is not available in this runtime (it is off, or not started yet)"));
        store.requireReachable();
        return c;
    }

    Reply status(AdminRequest r) {
        r.onlyParameters("hour");
        Instant hour = r.isoInstantParameter("hour", "2024-05-01T13:00:00Z");
        CognitionReader c = cognition();
        ObjectNode status = Reply.JSON.valueToTree(hour == null ? c.status() : c.status(hour));
        // Beside the scores, what each plugin is doing now, so a script needs one call, not two.
        ArrayNode plugins = status.putArray("plugins");
        for (PluginStatus p : backend.plugins()) {
            plugins.addObject().put("id", p.id()).put("domain", p.domain()).put("state", p.state().name())
                    .put("cause", p.cause());
        }
        return Reply.json(200, status);
    }

    Reply readiness(AdminRequest r) {
        r.onlyParameters();
        return Reply.json(200, cognition().readiness());
    }

    Reply benchmark(AdminRequest r, String metric) {
        r.onlyParameters("since");
        AdminRequest.name("metric", metric);
        Instant since = r.instantParameter("since", Duration.ofDays(7), backend.clock());
        CognitionReader c = cognition();
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

    Reply alerts(AdminRequest r) {
        r.onlyParameters("limit");
        int limit = r.intParameter("limit", 50, 1, 1000);
        CognitionReader c = cognition();
        return Reply.json(200, Map.of("alerts", c.alerts(limit)));
    }

    Reply generateReport(AdminRequest r) throws IOException {
        r.onlyParameters();
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

    Reply latestReport(AdminRequest r) throws IOException {
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

    // --- POST /api/cognition/domains/{domain}/values (alias: /api/cognition/domain/{domain}/update) ---

    Reply update(AdminRequest r, String domain) throws IOException {
        r.onlyParameters();
        AdminRequest.name("domain", domain);
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
            // A name no plugin declares is the publisher's to reject (UNKNOWN_KPI) and to log; the
            // publisher escapes what it logs, so the name cannot forge a log line.
            return new Value(kpi.asText(), value.asDouble(), at, metadata);
        }
    }
}
