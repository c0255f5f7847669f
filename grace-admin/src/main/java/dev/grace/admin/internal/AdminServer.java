package dev.grace.admin.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.grace.runtime.config.ConfigException;
import dev.grace.runtime.config.HttpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP server: the JSON API, {@code /health}, {@code /metrics} and the dashboard, on the
 * JDK's own {@link HttpServer} (no servlet container inside a library), with two threads of its own.
 *
 * <p>Bound to loopback unless configured otherwise; a non-loopback bind needs an explicit
 * {@code http.token}. Every POST needs {@code Authorization: Bearer <token>}. Answers never carry a
 * stack trace: a failure inside is logged and answered with a one-line 500.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;
    private final ExecutorService threads;
    private final AdminToken token;
    private final AdminRoutes routes;
    private final Dashboard dashboard = new Dashboard();
    private final Map<Integer, Long> served = new ConcurrentHashMap<>();
    private final URI address;

    private AdminServer(HttpServer server, ExecutorService threads, AdminToken token, AdminBackend backend) {
        this.server = server;
        this.threads = threads;
        this.token = token;
        this.routes = new AdminRoutes(backend, served);
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        this.address = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/");
    }

    /**
     * Binds and starts serving.
     *
     * @throws ConfigException when {@code http.bind} is malformed, names an unknown host or a port
     *                         in use, or is not loopback while no {@code http.token} is set
     */
    public static AdminServer start(HttpConfig config, Path dataDir, AdminBackend backend) {
        InetSocketAddress bind = bindAddress(config.bind());
        if (!bind.getAddress().isLoopbackAddress() && config.token() == null) {
            throw new ConfigException("http.bind", "http.bind", "http.bind: " + config.bind() + " is not a loopback"
                    + " address, and the admin API must not be reachable from elsewhere without a chosen token;"
                    + " set http.token (for example GRACE_HTTP_TOKEN) or bind to 127.0.0.1");
        }
        AdminToken token = AdminToken.resolve(config.token(), dataDir);
        HttpServer server;
        // The JDK server writes headers and body apart and leaves Nagle's algorithm on unless told:
        // with the client's delayed ACK every answer then waits ~40 ms (measured in grace-benchmarks'
        // CognitionBenchmark). Read once, when the first server is created; a host's own setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            server = HttpServer.create(bind, 64);
        } catch (BindException e) {
            throw new ConfigException("http.bind", "http.bind", "http.bind: cannot listen on " + config.bind() + " ("
                    + e.getMessage() + "); choose another HOST:PORT (grace run --http HOST:PORT) or turn the"
                    + " admin server off (--no-http)");
        } catch (IOException e) {
            throw new ConfigException("http.bind", "http.bind", "http.bind: cannot listen on " + config.bind()
                    + ": " + e.getMessage());
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "grace-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        AdminServer admin = new AdminServer(server, threads, token, backend);
        server.createContext("/", admin::handle);
        server.start();
        LOG.info("admin API and dashboard at {}", admin.address);
        return admin;
    }

    /** Reads {@code HOST:PORT}, {@code [IPv6]:PORT}. */
    static InetSocketAddress bindAddress(String bind) {
        int colon = bind.lastIndexOf(':');
        String host = colon < 0 ? "" : bind.substring(0, colon);
        String port = colon < 0 ? "" : bind.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (host.isEmpty() || p < 0 || p > 65535) {
            throw new ConfigException("http.bind", "http.bind", "http.bind: expected HOST:PORT such as"
                    + " 127.0.0.1:8470 (port 0 picks a free one), got \"" + bind + "\"");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new ConfigException("http.bind", "http.bind", "http.bind: unknown host \"" + host + "\" in \""
                    + bind + "\"");
        }
    }

    /** Where it serves, for example {@code http://127.0.0.1:8470/}. */
    public URI address() {
        return address;
    }

    private void handle(HttpExchange exchange) {
        AdminRoutes.Reply reply;
        try {
            reply = route(exchange);
        } catch (HttpError e) {
            reply = AdminRoutes.Reply.error(e);
        } catch (Exception | LinkageError e) {
            LOG.error("admin API: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            reply = AdminRoutes.Reply.error(new HttpError(500, null,
                    "internal error while answering this request; the runtime's log has the details"));
        }
        send(exchange, reply);
    }

    private AdminRoutes.Reply route(HttpExchange exchange) throws IOException {
        Request r = new Request(exchange);
        List<String> s = r.segments();
        String method = r.method();
        if (method.equals("POST")) {
            if (!token.accepts(r.header("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"grace\"");
                throw new HttpError(401, "Authorization", "Authorization: every POST needs \"Authorization: Bearer"
                        + " <token>\" with the admin token (http.token, or the file <dataDir>/" + AdminToken.FILE + ")");
            }
            if (is(s, "api", "cognition", "domain", null, "update")) {
                return routes.update(r, s.get(3));
            }
            if (is(s, "api", "cognition", "report", "generate")) {
                return routes.generateReport(r);
            }
        } else if (method.equals("GET") || method.equals("HEAD")) {
            if (s.isEmpty() || is(s, "index.html")) {
                return dashboard.asset("index.html");
            }
            if (is(s, "assets", null)) {
                return dashboard.asset(s.get(1));
            }
            if (is(s, "health")) {
                return routes.health(r);
            }
            if (is(s, "metrics")) {
                return routes.metrics(r);
            }
            if (is(s, "api", "plugins")) {
                return routes.plugins(r);
            }
            if (is(s, "api", "rollups")) {
                return routes.rollups(r);
            }
            if (is(s, "api", "cognition", "status")) {
                return routes.status(r);
            }
            if (is(s, "api", "cognition", "readiness")) {
                return routes.readiness(r);
            }
            if (is(s, "api", "cognition", "benchmark", null)) {
                return routes.benchmark(r, s.get(3));
            }
            if (is(s, "api", "cognition", "alerts")) {
                return routes.alerts(r);
            }
            if (is(s, "api", "cognition", "report", "latest")) {
                return routes.latestReport(r);
            }
        }
        String allowed = allowed(s);
        if (allowed != null) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new HttpError(405, null, method + " is not allowed on " + exchange.getRequestURI().getRawPath()
                    + "; use " + allowed);
        }
        throw HttpError.notFound("no such endpoint: " + exchange.getRequestURI().getRawPath()
                + " (see docs/http-api.md)");
    }

    /** The methods a known path takes, or null for an unknown path. */
    private static String allowed(List<String> s) {
        if (is(s, "api", "cognition", "domain", null, "update") || is(s, "api", "cognition", "report", "generate")) {
            return "POST";
        }
        boolean get = s.isEmpty() || is(s, "index.html") || is(s, "health") || is(s, "metrics")
                || is(s, "api", "plugins") || is(s, "api", "rollups") || is(s, "api", "cognition", "status")
                || is(s, "api", "cognition", "readiness") || is(s, "api", "cognition", "benchmark", null)
                || is(s, "api", "cognition", "alerts") || is(s, "api", "cognition", "report", "latest");
        return get ? "GET" : null;
    }

    /** Whether the segments are exactly these; null matches any one segment. */
    private static boolean is(List<String> s, String... pattern) {
        if (s.size() != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] != null && !pattern[i].equals(s.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void send(HttpExchange exchange, AdminRoutes.Reply reply) {
        served.merge(reply.status(), 1L, Long::sum);
        // Closing the exchange drains a small unread body so the connection can be reused, and
        // closes the connection instead when much is left (an oversized body).
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (IOException clientGone) {
            LOG.debug("admin API: could not answer {}: {}", exchange.getRequestURI().getRawPath(), clientGone.toString());
        }
    }

    /** Stops serving at once; requests in flight are cut off. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        LOG.info("admin API stopped");
    }
}
