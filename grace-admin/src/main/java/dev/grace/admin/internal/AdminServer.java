package dev.grace.admin.internal;

import dev.grace.runtime.config.ConfigException;
import dev.grace.runtime.config.HttpConfig;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP server: the JSON API, the health probes, {@code /metrics} and the dashboard, on an
 * embedded Jetty (its core, no servlets), because a server reachable by any local process must
 * bound what each client may hold: header, body and idle deadlines, a connection limit per client
 * and in all, 400-and-close for input that is not HTTP, and a worker pool of its own apart from the
 * threads that accept and parse. See {@link Limits}.
 *
 * <p>Bound to loopback unless configured otherwise; a non-loopback bind needs an explicit
 * {@code http.token}, and a loopback bind answers only requests for a loopback host name. Every
 * POST needs {@code Authorization: Bearer <token>}. Every error is {@code application/problem+json};
 * answers never carry a stack trace: a failure inside is logged and answered with a one-line 500.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    /**
     * What one client may hold, and for how long.
     *
     * @param headTimeoutMillis  from a request's first byte to the end of its headers
     * @param bodyTimeoutMillis  from the end of a POST's headers to the end of its body
     * @param idleTimeoutMillis  a connection that sends nothing is closed after this
     * @param maxConnections     open connections in all; past it, new ones wait in the accept queue
     * @param maxPerClient       open connections per client address; past it, a new one is closed at once
     * @param workers            threads that answer requests, apart from the accepting and parsing ones
     * @param queue              requests waiting for a worker; past it, a request is answered 503
     */
    record Limits(long headTimeoutMillis, long bodyTimeoutMillis, long idleTimeoutMillis, int maxConnections,
                  int maxPerClient, int workers, int queue) {
        static final Limits DEFAULT = new Limits(10_000, 10_000, 30_000, 512, 256, 8, 64);
    }

    private final Server server;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final ConnectionGuard guard;
    private final StoreProbe store;
    private final ScoreSnapshot scores;
    private final URI address;

    private AdminServer(Server server, ThreadPoolExecutor workers, ScheduledExecutorService timer,
                        ConnectionGuard guard, StoreProbe store, ScoreSnapshot scores, URI address) {
        this.server = server;
        this.workers = workers;
        this.timer = timer;
        this.guard = guard;
        this.store = store;
        this.scores = scores;
        this.address = address;
    }

    /**
     * Binds and starts serving.
     *
     * @throws ConfigException when {@code http.bind} is malformed, names an unknown host or a port
     *                         in use, or is not loopback while no {@code http.token} is set
     */
    public static AdminServer start(HttpConfig config, Path dataDir, AdminBackend backend) {
        return start(config, dataDir, backend, Limits.DEFAULT);
    }

    static AdminServer start(HttpConfig config, Path dataDir, AdminBackend backend, Limits limits) {
        InetSocketAddress bind = bindAddress(config.bind());
        boolean loopback = bind.getAddress().isLoopbackAddress();
        if (!loopback && config.token() == null) {
            throw new ConfigException("http.bind", "http.bind", "http.bind: " + config.bind() + " is not a loopback"
                    + " address, and the admin API must not be reachable from elsewhere without a chosen token;"
                    + " set http.token (for example GRACE_HTTP_TOKEN) or bind to 127.0.0.1");
        }
        AdminToken token = AdminToken.resolve(config.token(), dataDir);

        QueuedThreadPool io = new QueuedThreadPool(8, 2, 60_000);
        io.setName("grace-http-io");
        io.setDaemon(true);
        io.setReservedThreads(0);
        Server server = new Server(io);
        server.setErrorHandler(new ProblemErrors());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(ProblemErrors.MAX_HEAD);
        // Jetty's parser reuses a header it has seen when a new one matches it, by default ignoring
        // case: "Bearer abc" would then read as an earlier "Bearer ABC". Tokens are case-sensitive.
        http.setHeaderCacheCaseSensitive(true);
        // Paths reach AdminRequest.segments as sent, which refuses '.', '..' and encoded separators
        // itself, with one message naming the path.
        http.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind.getAddress().getHostAddress());
        connector.setPort(bind.getPort());
        connector.setIdleTimeout(limits.idleTimeoutMillis());
        connector.setAcceptQueueSize(128);
        ConnectionGuard guard = new ConnectionGuard(limits.maxPerClient(), limits.headTimeoutMillis());
        connector.addBean(guard);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));

        ThreadPoolExecutor workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()), daemon("grace-http-"));
        workers.allowCoreThreadTimeOut(true);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("grace-http-timer-"));
        StoreProbe store = new StoreProbe(backend);
        ScoreSnapshot scores = new ScoreSnapshot(backend, store, backend.clock());
        Map<Integer, Long> served = new ConcurrentHashMap<>();
        Router router = router(backend, store, scores, served);
        server.setHandler(new AdminHandler(router, token, loopback, workers, timer, limits.bodyTimeoutMillis(), served,
                backend.clock()));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            workers.shutdownNow();
            timer.shutdownNow();
            guard.close();
            scores.close();
            store.close();
            if (causedBy(e, BindException.class)) {
                throw new ConfigException("http.bind", "http.bind", "http.bind: cannot listen on " + config.bind() + " ("
                        + e.getMessage() + "); choose another HOST:PORT (grace run --http HOST:PORT) or turn the"
                        + " admin server off (--no-http)");
            }
            throw new ConfigException("http.bind", "http.bind", "http.bind: cannot listen on " + config.bind()
                    + ": " + e.getMessage());
        }
        String host = bind.getAddress().getHostAddress();
        URI address = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + connector.getLocalPort() + "/");
        LOG.info("admin API and dashboard at {}", address);
        return new AdminServer(server, workers, timer, guard, store, scores, address);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("admin API: stopping after a failed start: {}", e.toString());
        }
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

    /**
     * Checks the store now, on the caller's thread, instead of at the next tick of the background
     * check: the runtime calls it once the store is open, so that {@code /health} says so at once.
     */
    public void checkStoreNow() {
        store.check();
        scores.refresh();
    }

    /** Connections closed at once because their client had too many open, and those whose head came too late. */
    long refusedConnections() {
        return guard.refused();
    }

    long headTimeouts() {
        return guard.headTimeouts();
    }

    /** Stops serving at once; requests in flight are cut off. */
    @Override
    public void close() {
        stopQuietly(server);
        workers.shutdownNow();
        timer.shutdownNow();
        guard.close();
        scores.close();
        store.close();
        LOG.info("admin API stopped");
    }

    /** The routing table, in one place so that a test can hold it against the OpenAPI document. */
    static Router router(AdminBackend backend, StoreProbe store, ScoreSnapshot scores, Map<Integer, Long> served) {
        Router router = new Router();
        new Dashboard().addTo(router);
        new AdminRoutes(backend, store, scores, served).addTo(router);
        new CognitionRoutes(backend, store).addTo(router);
        return router;
    }
}
