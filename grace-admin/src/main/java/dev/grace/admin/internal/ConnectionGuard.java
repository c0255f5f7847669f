package dev.grace.admin.internal;

import dev.grace.runtime.internal.LogText;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What Jetty's idle timeout does not do: a bounded number of connections per client address, and
 * a deadline for a request's head. The idle timeout closes a connection that sends nothing; a
 * slowloris client sends a byte now and then and would hold its connection forever. Here a
 * connection that has begun a request (bytes arrived since its last answer) but not completed its
 * head within {@link AdminServer.Limits#headTimeoutMillis()} is closed, checked four times a second.
 */
final class ConnectionGuard implements Connection.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long SWEEP_MILLIS = 250;

    /** One connection's progress, read and written by the sweeping thread only (after it is published). */
    private static final class Progress {
        final InetAddress client;
        long messagesOut;
        long bytesAtLastAnswer;
        long firstByteNanos = -1;

        Progress(InetAddress client) {
            this.client = client;
        }
    }

    private final int perClient;
    private final long headNanos;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<Connection, Progress> open = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final LongAdder headTimeouts = new LongAdder();
    private final ScheduledExecutorService sweeper;

    ConnectionGuard(int perClient, long headTimeoutMillis) {
        this.perClient = perClient;
        this.headNanos = TimeUnit.MILLISECONDS.toNanos(headTimeoutMillis);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grace-http-deadlines");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection.getEndPoint().getRemoteSocketAddress());
        open.put(connection, new Progress(client));
        int n = perAddress.computeIfAbsent(client, a -> new AtomicInteger()).incrementAndGet();
        if (n > perClient) {
            refused.increment();
            LOG.debug("admin API: {} has {} connections open, more than {}; closing the newest", client, n, perClient);
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Progress p = open.remove(connection);
        if (p != null) {
            perAddress.computeIfPresent(p.client, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    private static InetAddress client(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((c, p) -> {
            try {
                long out = c.getMessagesOut();
                long bytes = c.getBytesIn();
                if (out != p.messagesOut) {
                    p.messagesOut = out;
                    p.bytesAtLastAnswer = bytes;
                    p.firstByteNanos = -1;
                } else if (c.getMessagesIn() > out) {
                    p.firstByteNanos = -1; // a head was read: the handler and the body deadline take it from here
                } else if (bytes > p.bytesAtLastAnswer) {
                    if (p.firstByteNanos < 0) {
                        p.firstByteNanos = now;
                    } else if (now - p.firstByteNanos > headNanos) {
                        headTimeouts.increment();
                        c.getEndPoint().close();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("admin API: checking a connection's deadline failed: {}", LogText.escape(e.toString()));
            }
        });
    }

    /** Connections closed at once because their client already had {@code perClient} open. */
    long refused() {
        return refused.sum();
    }

    /** Connections closed because a request's head did not arrive in time. */
    long headTimeouts() {
        return headTimeouts.sum();
    }

    int open() {
        return open.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
