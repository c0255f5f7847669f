package dev.grace.plugins.federation;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginConfig;
import dev.grace.api.PluginConfigException;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The federation domain's plugin: connectors to external HTTP services ({@link Connector}), each
 * with a timeout, retries with exponential backoff and a {@link CircuitBreaker} on the runtime's
 * clock, called every {@code interval}; and the age of configured credential files
 * ({@link Credential}).
 *
 * <p>With no {@code connectors} configured it calls nothing and publishes no call figures: the
 * runtime calling its own admin endpoint would measure the process measuring itself. With no
 * {@code credentials} configured it watches the admin token file {@code <dataDir>/admin-token}
 * when it exists. See
 * {@code docs/plugins.md} for the keys and how each KPI is measured.
 */
public final class FederationPlugin implements DomainPlugin {

    static final Kpi API_SUCCESS = Kpi.builder("api_success", Kpi.Unit.RATIO).healthBearing()
            .description("Connector calls that got a 2xx response / connector calls, per round (a call refused by an open breaker failed)")
            .build();
    // a share of binary states: every breaker closed (1.0) hour after hour is what a healthy set of
    // services looks like, so the guard's constant/pinned flags do not apply
    static final Kpi CONNECTOR_HEALTH = Kpi.builder("connector_health", Kpi.Unit.RATIO).healthBearing().mayBeConstant()
            .description("Connectors whose circuit breaker is closed / connectors, after each round").build();
    /** One series per configured connector: its name is the {@code connector} attribute. */
    static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter()
            .attribute("connector")
            .description("Seconds from sending a successful request to having its response, per successful call,"
                    + " in the series of its connector").build();
    static final Kpi SECRET_ROTATION = Kpi.builder("secret_rotation", Kpi.Unit.RATIO).healthBearing().mayBeConstant()
            .description("Credential files younger than their maxAge / credentials, on the runtime's clock").build();

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.federation");
    private static final String EXAMPLE = "\"name=billing url=https://billing.example/health timeout=2s retries=2\"";

    private MetricPublisher publisher;
    private Clock clock;
    private ConnectorSpec defaults;
    private Duration defaultMaxAge;
    private Path adminToken;
    private final List<Connector> connectors = new ArrayList<>();
    /** {@link #LATENCY}'s series of each connector, in the order of {@link #connectors}, bound once at start. */
    private final List<Kpi.Series> latencies = new ArrayList<>();
    private final List<Credential> credentials = new ArrayList<>();
    private boolean credentialsConfigured;
    private boolean toldNoConnectors;
    private final Map<String, String> lastProblem = new HashMap<>();

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("federation").domain("federation").version("0.1.0").apiRange("[0.1,1)")
                .description("Calls external HTTP services through timeouts, retries and circuit breakers").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(API_SUCCESS, CONNECTOR_HEALTH, LATENCY, SECRET_ROTATION);
    }

    @Override
    public void start(PluginContext context) {
        PluginConfig config = context.config();
        Duration interval = config.duration("interval", Duration.ofSeconds(5));
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("plugins.federation.interval: must be positive, got " + interval);
        }
        try {
            defaults = new ConnectorSpec("defaults", URI.create("http://localhost/"),
                    config.duration("timeout", Duration.ofSeconds(2)), config.integer("retries", 2),
                    config.duration("backoff", Duration.ofMillis(200)), config.integer("failureThreshold", 3),
                    config.duration("coolDown", Duration.ofSeconds(30)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("plugins.federation." + e.getMessage().substring("connector defaults: ".length()));
        }
        defaultMaxAge = config.duration("maxAge", Duration.ofDays(30));
        if (defaultMaxAge.isZero() || defaultMaxAge.isNegative()) {
            throw new IllegalArgumentException("plugins.federation.maxAge: must be positive, got " + defaultMaxAge);
        }
        publisher = context.publisher();
        clock = context.clock();

        Set<String> names = new HashSet<>();
        List<Object> items = items(config, "connectors");
        for (int i = 0; i < items.size(); i++) {
            String where = "plugins.federation.connectors[" + i + "]";
            ConnectorSpec spec = items.get(i) instanceof String line ? ConnectorSpec.parse(where, line, defaults)
                    : ConnectorSpec.of(where, fields(items.get(i)), defaults);
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException(where + ": connector name " + spec.name() + " is used twice");
            }
            String invalid = Kpi.invalidAttributeValue(spec.name());
            if (invalid != null) {
                throw new IllegalArgumentException(where + ": connector name " + invalid
                        + " (it names the connector's latency series)");
            }
            resolvable(where, spec.url());
            connectors.add(connector(spec));
            latencies.add(publisher.series(LATENCY, "connector", spec.name()));
        }
        credentialsConfigured = config.keys().contains("credentials");
        List<Object> creds = items(config, "credentials");
        for (int i = 0; i < creds.size(); i++) {
            String where = "plugins.federation.credentials[" + i + "]";
            credentials.add(creds.get(i) instanceof String line ? Credential.parse(where, line, defaultMaxAge)
                    : Credential.of(where, fields(creds.get(i)), defaultMaxAge));
        }
        // dataDirectory() is <dataDir>/plugins/federation; the runtime keeps its admin token in <dataDir>
        adminToken = context.dataDirectory().toAbsolutePath().getParent().getParent().resolve("admin-token");
        context.scheduler().scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The items of a list: maps of fields ({@code - {name: billing, url: ...}}, in a file) or strings of
     * {@code key=value} fields (the form variables and {@code --set} can write).
     */
    private static List<Object> items(PluginConfig config, String key) {
        try {
            return List.copyOf(config.list(key));
        } catch (PluginConfigException notStrings) {
            try {
                return List.copyOf(config.maps(key));
            } catch (PluginConfigException notMaps) {
                throw new PluginConfigException(notMaps.getMessage() + "; write each item as a map of fields, or as"
                        + " one string of key=value fields, for example " + EXAMPLE);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, String> fields(Object item) {
        return (java.util.Map<String, String>) item;
    }

    /** An unresolvable host is a mistake in the config, not an outage: fail the plugin now. */
    private static void resolvable(String where, URI url) {
        try {
            InetAddress.getByName(url.getHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(where + " field url: host " + url.getHost()
                    + " cannot be resolved (" + url + ")");
        }
    }

    private Connector connector(ConnectorSpec spec) {
        return new Connector(spec, Connector.client(spec), new CircuitBreaker(spec.failureThreshold(),
                spec.coolDown(), clock), d -> Thread.sleep(d.toMillis()));
    }

    private void round() {
        if (connectors.isEmpty()) {
            if (!toldNoConnectors) {
                toldNoConnectors = true;
                LOG.info("no connectors configured: api_success, connector_health and latency are not published"
                        + " until plugins.federation.connectors names a service to call");
            }
        } else {
            callAll();
        }
        judgeCredentials();
    }

    private void callAll() {
        int succeeded = 0;
        int closed = 0;
        for (int i = 0; i < connectors.size(); i++) {
            Connector c = connectors.get(i);
            CircuitBreaker.State before = c.breaker().state();
            Call call;
            try {
                call = c.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (call.succeeded()) {
                succeeded++;
                latencies.get(i).record(call.latency().getAsDouble());
            }
            report(c, call, before);
            if (c.breaker().state() == CircuitBreaker.State.CLOSED) {
                closed++;
            }
        }
        publisher.record(API_SUCCESS, (double) succeeded / connectors.size());
        publisher.record(CONNECTOR_HEALTH, (double) closed / connectors.size());
    }

    /** Logs a connector's problems when they change, not every round. */
    private void report(Connector c, Call call, CircuitBreaker.State before) {
        CircuitBreaker.State after = c.breaker().state();
        if (after != before) {
            LOG.info("connector {}: circuit {} -> {}", c, before, after);
        }
        String problem = call.outcome() == Call.Outcome.FAILED ? call.cause() : "";
        String previous = lastProblem.put(c.spec().name(), problem);
        if (!problem.isEmpty() && !problem.equals(previous)) {
            LOG.warn("connector {}: call failed after {} attempts: {}", c, call.attempts(), problem);
        } else if (problem.isEmpty() && previous != null && !previous.isEmpty() && call.succeeded()) {
            LOG.info("connector {}: calls succeed again", c);
        }
    }

    private void judgeCredentials() {
        List<Credential> judged = credentials;
        if (!credentialsConfigured && Files.isRegularFile(adminToken)) {
            judged = List.of(new Credential("admin-token", adminToken, defaultMaxAge));
        }
        if (judged.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        int fresh = 0;
        for (Credential c : judged) {
            if (c.fresh(now)) {
                fresh++;
                lastProblem.remove("credential " + c.name());
            } else if (!lastProblem.containsKey("credential " + c.name())) {
                lastProblem.put("credential " + c.name(), "stale");
                LOG.warn("credential {} ({}) is older than {} or unreadable: age {}", c.name(), c.file(), c.maxAge(),
                        c.age(now).map(Duration::toString).orElse("unknown"));
            }
        }
        publisher.record(SECRET_ROTATION, (double) fresh / judged.size());
    }

    /** What the connectors' breakers stand at, by connector name; for hosts and tests. */
    Map<String, CircuitBreaker.State> breakers() {
        Map<String, CircuitBreaker.State> out = new java.util.LinkedHashMap<>();
        connectors.forEach(c -> out.put(c.spec().name(), c.breaker().state()));
        return out;
    }
}
