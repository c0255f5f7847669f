package dev.grace.cli;

import dev.grace.cognition.StoreCognition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grace.runtime.config.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code grace cognition}: the live terminal dashboard of a running runtime, read from its admin
 * API — the overall scores as bars, a line per domain, and the latest alerts — redrawn in place.
 */
@Command(name = "cognition", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"The live terminal dashboard of a running runtime (grace run): overall health, trust and"
                + " confidence, every domain with its KPIs, and the latest alerts, redrawn in place until Ctrl-C."})
final class CognitionCommand implements Callable<Integer> {

    static final String CLEAR = "\u001b[2J";
    static final String HOME = "\u001b[H";
    static final String ERASE_LINE = "\u001b[K";
    static final String ERASE_BELOW = "\u001b[J";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8470",
            description = "The admin API of the running runtime (grace run prints it). Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--refresh", paramLabel = "DURATION", defaultValue = "2s", converter = RunCommand.DurationConverter.class,
            description = "How often to redraw. Default: ${DEFAULT-VALUE}.")
    Duration refresh;

    @Option(names = "--once", description = "Draw once and exit (scripts, tests); exit 3 when the runtime does not answer.")
    boolean once;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Read a data directory's store instead of a running runtime (scores, KPIs and alerts;"
                    + " the plugins' states are known only to a running runtime).")
    String dataDir;

    @picocli.CommandLine.ParentCommand
    GraceCommand grace;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Override
    public Integer call() throws InterruptedException {
        if (refresh.compareTo(Duration.ofMillis(100)) < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--refresh: expected at least 100ms, got "
                    + Durations.format(refresh));
        }
        if (dataDir != null) {
            java.nio.file.Path dir = java.nio.file.Path.of(dataDir);
            if (!java.nio.file.Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data-dir: " + dir
                        + " is not a directory (give the data directory of a grace run, ./grace-data by default)");
            }
            ConfigOptions options = new ConfigOptions();
            options.dataDir = dataDir;
            try (dev.grace.store.GraceStore store = dev.grace.store.GraceStore.open(
                    options.load(grace == null ? Map.of() : grace.env()))) {
                return draw(URI.create("file:" + dir.toAbsolutePath() + "/"), fromStore(StoreCognition.over(store), dir));
            }
        }
        return draw(base(url), this::get);
    }

    /**
     * Answers the paths the screen reads from a store instead of a runtime: the same JSON shapes as
     * the admin API, with the KPIs from the store's catalogue and the open hour's figures.
     */
    private static Fetch fromStore(dev.grace.runtime.cognition.Cognition cognition, java.nio.file.Path dir) {
        return uri -> {
            String path = uri.getPath();
            com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
            if (path.endsWith("/health")) {
                return new Answer(200, body.put("status", "stored"));
            }
            if (path.endsWith("/api/cognition/status")) {
                return new Answer(200, CognitionTables.tree(cognition.status()));
            }
            if (path.endsWith("/api/cognition/alerts")) {
                body.set("alerts", CognitionTables.tree(cognition.alerts(5)));
                return new Answer(200, body);
            }
            com.fasterxml.jackson.databind.node.ArrayNode plugins = body.putArray("plugins");
            for (dev.grace.runtime.cognition.DomainStatus d : cognition.status().domains()) {
                com.fasterxml.jackson.databind.node.ObjectNode p = plugins.addObject();
                p.put("id", "stored").put("domain", d.domain()).put("state", "-");
                com.fasterxml.jackson.databind.node.ArrayNode kpis = p.putArray("kpis");
                for (dev.grace.runtime.cognition.KpiReading k : d.kpis()) {
                    com.fasterxml.jackson.databind.node.ObjectNode hour = kpis.addObject().put("name", k.kpi())
                            .putObject("currentHour");
                    hour.put("count", k.count());
                    if (k.mean() == null) {
                        hour.putNull("mean");
                    } else {
                        hour.put("mean", k.mean());
                    }
                }
            }
            return new Answer(200, body);
        };
    }

    private int draw(URI base, Fetch fetch) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null;
        boolean first = true;
        while (true) {
            Screen screen;
            try {
                screen = Screen.read(base, fetch);
            } catch (IOException e) {
                if (once) {
                    spec.commandLine().getErr().println("grace: cannot reach " + base + " (" + e.getMessage()
                            + "); is grace run running? Point --url at its admin API");
                    return GraceCommand.UNREACHABLE;
                }
                screen = Screen.unreachable(base, e.getMessage());
            }
            List<String> lines = screen.render(Instant.now(), 78);
            if (terminal) {
                StringBuilder frame = new StringBuilder(first ? CLEAR + HOME : HOME);
                lines.forEach(l -> frame.append(l).append(ERASE_LINE).append('\n'));
                out.print(frame.append(ERASE_BELOW));
            } else {
                lines.forEach(out::println);
            }
            out.flush();
            first = false;
            if (once) {
                return 0;
            }
            Thread.sleep(refresh.toMillis());
        }
    }

    static URI base(String url) {
        try {
            URI u = URI.create(url.endsWith("/") ? url : url + "/");
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("--url: expected http://HOST:PORT such as http://127.0.0.1:8470, got \"" + url + "\"");
    }

    /** The answer's status and JSON body. */
    record Answer(int status, JsonNode body) {
    }

    @FunctionalInterface
    interface Fetch {
        Answer get(URI uri) throws IOException;
    }

    private Answer get(URI uri) throws IOException {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body;
            try {
                body = JSON.readTree(r.body());
            } catch (IOException notJson) {
                throw new IOException(uri + " answered " + r.statusCode() + " without JSON: is this a Grace admin API?");
            }
            return new Answer(r.statusCode(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("connection refused");
        }
    }

    /** One frame's data, and how it is drawn. */
    record Screen(URI base, String health, JsonNode status, String statusError, JsonNode plugins, JsonNode alerts,
                  String unreachable) {

        static Screen read(URI base, Fetch fetch) throws IOException {
            Answer health = fetch.get(base.resolve("health"));
            Answer status = fetch.get(base.resolve("api/cognition/status"));
            Answer plugins = fetch.get(base.resolve("api/plugins"));
            Answer alerts = fetch.get(base.resolve("api/cognition/alerts?limit=5"));
            String h = health.body().path("status").asText("?")
                    + (health.body().path("reason").isTextual() ? ": " + health.body().get("reason").asText() : "");
            return new Screen(base, h, status.status() == 200 ? status.body() : null,
                    status.status() == 200 ? null : status.body().path("detail").asText("HTTP " + status.status()),
                    plugins.body(), alerts.status() == 200 ? alerts.body().path("alerts") : null, null);
        }

        static Screen unreachable(URI base, String why) {
            return new Screen(base, null, null, null, null, null, why);
        }

        List<String> render(Instant now, int width) {
            List<String> lines = new ArrayList<>();
            lines.add("Grace cognition · " + base + " · " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + (health == null ? "" : " · runtime " + health));
            lines.add("");
            if (unreachable != null) {
                lines.add("cannot reach the runtime (" + unreachable + "); retrying");
                return lines;
            }
            JsonNode overall = status == null ? null : status.path("overall");
            lines.add("Overall" + (status == null ? "  (scores unavailable: " + statusError + ")"
                    : "  hour " + status.path("hour").asText() + (status.path("open").asBoolean() ? " (open)" : "")));
            for (String score : List.of("health", "trust", "confidence")) {
                Double v = overall == null || !overall.path(score).isNumber() ? null : overall.get(score).asDouble();
                lines.add(String.format(Locale.ROOT, "  %-11s %s %s", score, bar(v, 30), v == null ? "–" : num(v)));
            }
            lines.add("");
            lines.add("Domains");
            Map<String, JsonNode> scored = new TreeMap<>();
            if (status != null) {
                status.path("domains").forEach(d -> scored.put(d.path("domain").asText(), d));
            }
            Map<String, Map<String, JsonNode>> kpis = new TreeMap<>();
            Map<String, List<String>> states = new TreeMap<>();
            plugins.path("plugins").forEach(p -> {
                String domain = p.path("domain").asText();
                if (domain.isEmpty()) {
                    return;
                }
                states.computeIfAbsent(domain, d -> new ArrayList<>()).add(p.path("id").asText() + " " + p.path("state").asText());
                p.path("kpis").forEach(k -> kpis.computeIfAbsent(domain, d -> new TreeMap<>()).putIfAbsent(k.path("name").asText(), k));
            });
            for (String domain : kpis.keySet()) {
                JsonNode d = scored.get(domain);
                JsonNode s = d == null ? null : d.path("scores");
                String scores = s == null || !s.path("health").isNumber() ? "" : String.format(Locale.ROOT,
                        "health %s %s  trust %s  conf %s%s", bar(s.get("health").asDouble(), 10), num(s.get("health").asDouble()),
                        s.path("trust").isNumber() ? num(s.get("trust").asDouble()) : "–",
                        s.path("confidence").isNumber() ? num(s.get("confidence").asDouble()) : "–",
                        d.path("alerts").asInt() > 0 ? "  alerts " + d.path("alerts").asInt() : "");
                lines.add(String.format(Locale.ROOT, "  %-14s %s", domain, scores.isEmpty()
                        ? String.join(", ", states.get(domain)) : scores));
                StringBuilder row = new StringBuilder("    ");
                for (JsonNode k : kpis.get(domain).values()) {
                    JsonNode hour = k.path("currentHour");
                    String cell = k.path("name").asText() + " " + (hour.path("mean").isNumber()
                            ? num(hour.get("mean").asDouble()) + " (" + hour.path("count").asLong() + ")" : "–") + "   ";
                    if (row.length() + cell.length() > width) {
                        lines.add(row.toString().stripTrailing());
                        row = new StringBuilder("    ");
                    }
                    row.append(cell);
                }
                lines.add(row.toString().stripTrailing());
            }
            lines.add("");
            lines.add("Notifications");
            if (alerts == null) {
                lines.add("  (alerts unavailable: " + statusError + ")");
            } else if (alerts.isEmpty()) {
                lines.add("  none");
            } else {
                alerts.forEach(a -> lines.add("  " + a.path("at").asText() + "  " + a.path("type").asText() + "  "
                        + a.path("subject").asText() + ": " + a.path("message").asText()));
            }
            List<String> clipped = new ArrayList<>();
            lines.forEach(l -> clipped.add(l.length() > width + 20 ? l.substring(0, width + 19) + "…" : l));
            return clipped;
        }

        private static String bar(Double v, int cells) {
            int filled = v == null ? 0 : (int) Math.round(Math.max(0, Math.min(1, v)) * cells);
            return "[" + "█".repeat(filled) + "░".repeat(cells - filled) + "]";
        }

        private static String num(double v) {
            return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
        }
    }
}
