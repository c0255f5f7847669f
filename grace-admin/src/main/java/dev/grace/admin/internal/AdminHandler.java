package dev.grace.admin.internal;

import dev.grace.runtime.internal.ConditionLog;
import dev.grace.runtime.internal.LogText;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Takes each request from Jetty on the thread that parsed it, checks what is cheap to check there
 * (the Host and Origin, the path, the route, the token, the declared length), reads a POST's body
 * without holding a thread, and hands the work to the bounded worker pool; routes that read only
 * memory (the health probes) are answered at once, so they answer while every worker is busy.
 */
final class AdminHandler extends Handler.Abstract.NonBlocking {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final Router router;
    private final AdminToken token;
    private final boolean loopbackOnly;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final long bodyTimeoutMillis;
    private final Map<Integer, Long> served;

    /**
     * @param loopbackOnly whether the server is bound to loopback, and so answers only requests
     *                     that name a loopback host (no DNS rebinding)
     * @param served       requests answered so far, by status, for {@code /metrics}
     */
    private final ConditionLog storeFailures;

    AdminHandler(Router router, AdminToken token, boolean loopbackOnly, ExecutorService workers,
                 ScheduledExecutorService timer, long bodyTimeoutMillis, Map<Integer, Long> served, Clock clock) {
        this.storeFailures = new ConditionLog(LOG, "admin API: requests fail because the store does not answer", clock);
        this.router = router;
        this.token = token;
        this.loopbackOnly = loopbackOnly;
        this.workers = workers;
        this.timer = timer;
        this.bodyTimeoutMillis = bodyTimeoutMillis;
        this.served = served;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        try {
            checkHostAndOrigin(request);
            List<String> segments = AdminRequest.segments(rawPath);
            Router.Match match = router.match(method, segments, rawPath);
            if (match.post() && !token.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                throw new HttpError(401, "Authorization", "Authorization: every POST needs \"Authorization: Bearer"
                        + " <token>\" with the admin token (http.token, or the file <dataDir>/" + AdminToken.FILE + ")")
                        .withHeader("WWW-Authenticate", "Bearer realm=\"grace\"");
            }
            AdminRequest r = new AdminRequest(method, segments, match.pathParameters(),
                    request.getHttpURI().getQuery(), request.getHeaders());
            if (match.post()) {
                AdminRequest.checkDeclaredLength(request.getLength());
                readBodyThenAnswer(request, response, callback, match, r);
            } else if (match.inline()) {
                answer(request, response, callback, match, r);
            } else {
                dispatch(request, response, callback, () -> answer(request, response, callback, match, r));
            }
        } catch (HttpError e) {
            // Refused before its body was read: Jetty closes such a connection, so say so, and a
            // keep-alive client sends its next request on a new one instead of a closed socket.
            boolean unreadBody = request.getLength() != 0 && !HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method);
            send(request, response, callback, Reply.problem(unreadBody ? e.withHeader("Connection", "close") : e));
        }
        return true;
    }

    /**
     * A web page can make a browser send requests to 127.0.0.1 under a name its server resolves
     * there (DNS rebinding) and read the answers: on a loopback bind only loopback names are served.
     */
    private void checkHostAndOrigin(Request request) {
        if (!loopbackOnly) {
            return;
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host != null && !loopbackName(host)) {
            throw new HttpError(403, "Host", "Host: \"" + host + "\" is not a loopback name; this server is bound to"
                    + " loopback and answers requests for localhost, 127.0.0.1 or [::1] only");
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !loopbackOrigin(origin)) {
            throw new HttpError(403, "Origin", "Origin: \"" + origin + "\" is not a loopback origin; pages from other"
                    + " sites may not call this server");
        }
    }

    private static boolean loopbackName(String hostHeader) {
        String host;
        try {
            host = HostPort.normalizeHost(new HostPort(hostHeader).getHost());
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.equalsIgnoreCase("localhost") || host.toLowerCase(Locale.ROOT).endsWith(".localhost")
                || LOOPBACK_V4.matcher(host).matches() || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }

    private static boolean loopbackOrigin(String origin) {
        try {
            URI u = new URI(origin);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getRawAuthority() != null
                    && loopbackName(u.getRawAuthority());
        } catch (URISyntaxException notAUri) {
            return false; // "null" included: a sandboxed or file page
        }
    }

    /** Reads the body without a thread waiting on it; a body slower than the deadline is a 408 and a close. */
    private void readBodyThenAnswer(Request request, Response response, Callback callback, Router.Match match,
                                    AdminRequest r) {
        BodyReader body = new BodyReader(request);
        ScheduledFuture<?> deadline = timer.schedule(() -> body.done.completeExceptionally(new TimeoutException()),
                bodyTimeoutMillis, TimeUnit.MILLISECONDS);
        body.done.whenComplete((bytes, failure) -> {
            deadline.cancel(false);
            if (failure == null) {
                dispatch(request, response, callback, () -> answer(request, response, callback, match, r.withBody(bytes)));
            } else if (failure instanceof TimeoutException) {
                send(request, response, callback, Reply.problem(new HttpError(408, "body", "body: not received within "
                        + bodyTimeoutMillis / 1000 + " s; send the whole body at once")
                        .withHeader("Connection", "close")));
            } else if (failure instanceof HttpError tooLarge) {
                send(request, response, callback, Reply.problem(tooLarge.withHeader("Connection", "close")));
            } else {
                callback.failed(failure); // the client went away, or sent a malformed chunk: Jetty closes
            }
        });
        body.run();
    }

    /**
     * Reads a body chunk by chunk as it arrives, up to {@link AdminRequest#MAX_BODY}; between
     * chunks no thread waits (Jetty calls back when more has come).
     */
    private static final class BodyReader implements Runnable {
        private final Request request;
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        BodyReader(Request request) {
            this.request = request;
        }

        @Override
        public void run() {
            while (!done.isDone()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    done.completeExceptionally(chunk.getFailure());
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                boolean last = chunk.isLast();
                if (read.size() + bytes.remaining() > AdminRequest.MAX_BODY) {
                    chunk.release();
                    done.completeExceptionally(AdminRequest.tooLarge());
                    return;
                }
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                read.writeBytes(copy);
                chunk.release();
                if (last) {
                    done.complete(read.toByteArray());
                }
            }
        }
    }

    /** Runs work on a worker; when all are busy and the queue is full, answers 503 at once. */
    private void dispatch(Request request, Response response, Callback callback, Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException full) {
            send(request, response, callback, Reply.problem(new HttpError(503, null, "the admin API is busy (every"
                    + " worker is answering and the queue is full); try again in a second")
                    .withHeader("Retry-After", "1")));
        }
    }

    private void answer(Request request, Response response, Callback callback, Router.Match match, AdminRequest r) {
        Reply reply;
        try {
            reply = match.handler().handle(r);
        } catch (HttpError e) {
            reply = Reply.problem(e);
        } catch (Exception | LinkageError e) {
            if (storeFailure(e)) {
                // the store went down after its latest check: the answer given while it is known down, logged once per outage
                storeFailures.failed(e);
                reply = Reply.problem(StoreProbe.unavailable("a read failed"));
            } else {
                LOG.error("admin API: {} {} failed", LogText.escape(r.method()),
                        LogText.escape(request.getHttpURI().getPathQuery()), e);
                reply = Reply.problem(new HttpError(500, null,
                        "internal error while answering this request; the runtime's log has the details"));
            }
        }
        send(request, response, callback, reply);
    }

    private static boolean storeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    private void send(Request request, Response response, Callback callback, Reply answer) {
        Reply reply = answer.withInstance(request.getHttpURI().getPath());
        served.merge(reply.status(), 1L, Long::sum);
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(reply.body()), callback);
    }
}
