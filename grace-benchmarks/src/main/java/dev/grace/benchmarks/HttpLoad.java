package dev.grace.benchmarks;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An HTTP load generator for loopback, closed-loop ({@link #run}) or at a constant rate
 * ({@link #paced}).
 *
 * <p>Closed loop: N client threads, each on its own keep-alive
 * connection, each sending {@code GET path} as soon as the previous answer has been read in full,
 * for a warm-up and then a measured time. Every measured request's latency — from writing the
 * request to reading the last byte of the answer — goes into the thread's {@link Histogram};
 * the histograms are merged at the end.
 *
 * <p>Each client speaks HTTP/1.1 on a plain {@link Socket} rather than through a JDK client, so
 * that each thread owns exactly one connection for the whole run (the JDK's keep-alive cache keeps
 * five idle connections per host by default and would have the others reconnect on every request),
 * connections opened are counted, and the client costs the shared cores as little as it can. A
 * request counts as an error when the answer is not {@code 200} or the connection fails; a failed
 * connection is opened again.
 */
final class HttpLoad {

    /** Latencies are kept to 3 significant digits: 1 µs resolution at 1 ms, 10 µs at 10 ms. */
    private static final int DIGITS = 3;

    private HttpLoad() {
    }

    /**
     * One endpoint under load.
     *
     * @param requests          measured requests answered (errors included)
     * @param errors            measured requests not answered with 200
     * @param connections       connections opened over the whole run, warm-up included; the client count when
     *                          every connection was kept alive
     * @param seconds           the measured time
     * @param latency           every measured request's latency
     * @param serverCpuSeconds  CPU time of the admin server's threads ({@code grace-http-*} and the JDK
     *                          server's dispatcher) during the measured time
     * @param clientCpuSeconds  CPU time of the client threads during the measured time
     * @param processCpuSeconds CPU time of the whole JVM during the measured time
     */
    record Result(String path, int clients, double seconds, long requests, long errors, long connections,
                  Latency latency, double serverCpuSeconds, double clientCpuSeconds, double processCpuSeconds) {

        double requestsPerSecond() {
            return requests / seconds;
        }

        double serverCpuMicrosPerRequest() {
            return serverCpuSeconds * 1e6 / Math.max(1, requests);
        }

        double processCpuMicrosPerRequest() {
            return processCpuSeconds * 1e6 / Math.max(1, requests);
        }
    }

    /** A latency distribution, in milliseconds. */
    record Latency(long count, double mean, double p50, double p90, double p95, double p99, double p999, double max) {

        static Latency of(Histogram h) {
            return new Latency(h.getTotalCount(), h.getMean() / 1e6, ms(h, 50), ms(h, 90), ms(h, 95), ms(h, 99),
                    ms(h, 99.9), h.getMaxValue() / 1e6);
        }

        private static double ms(Histogram h, double percentile) {
            return h.getValueAtPercentile(percentile) / 1e6;
        }
    }

    /** A histogram for latencies in nanoseconds, growing as needed. */
    static Histogram histogram() {
        return new Histogram(DIGITS);
    }

    /**
     * One endpoint at a constant rate, measured without coordinated omission.
     *
     * @param rate        the asked rate, requests per second over all connections
     * @param requests    measured requests answered (errors included)
     * @param late        measured requests sent more than a millisecond after their intended time, because
     *                    the answer before them on the same connection took longer than the interval
     * @param latency     from each request's intended send time (its slot in the schedule) to the last byte
     *                    of its answer: what a client sending at this rate would wait
     * @param service     from the actual send to the last byte: the closed-loop figure, which leaves out the
     *                    time a request spent waiting for its slot's predecessor
     */
    record PacedResult(String path, double rate, int connections, double seconds, long requests, long errors,
                       long late, Latency latency, Latency service) {

        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    /**
     * Sends {@code GET path} at {@code rate} requests per second in total over {@code connections}
     * keep-alive connections, for {@code warmup} and then for {@code measure}.
     *
     * <p>The schedule is fixed before the run: connection {@code c} sends its {@code k}-th request at
     * {@code start + (k × connections + c) / rate}, whatever happened before. When an answer comes late
     * the next request goes out at once, and its latency is counted from the slot it was due in, not
     * from when it could be sent — wrk2's correction for coordinated omission. A closed-loop client
     * stops sending while the server stalls and so never records the requests a real client would
     * have been waiting on; here every slot in the schedule is a recorded latency.
     */
    static PacedResult paced(URI base, String path, int connections, double rate, Duration warmup, Duration measure)
            throws Exception {
        if (!(rate > 0) || connections < 1) {
            throw new IllegalArgumentException("a paced run needs a rate > 0 and at least one connection, got " + rate
                    + "/s over " + connections);
        }
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        double slot = 1e9 / rate; // ns between two requests, over all connections
        long start = System.nanoTime() + 200_000_000L;
        long from = start + warmup.toNanos();
        long until = from + measure.toNanos();
        List<PacedClient> running = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            running.add(new PacedClient(address, path, ready, c, start, slot * c, slot * connections, from, until));
        }
        running.forEach(Thread::start);
        ready.await();
        Histogram latency = histogram();
        Histogram service = histogram();
        long errors = 0;
        long late = 0;
        for (PacedClient c : running) {
            c.join();
            if (c.failure != null) {
                throw new IllegalStateException("client " + c.getName() + " stopped: " + c.failure, c.failure);
            }
            latency.add(c.latency);
            service.add(c.service);
            errors += c.errors;
            late += c.late;
        }
        return new PacedResult(path, rate, connections, measure.toNanos() / 1e9, latency.getTotalCount(), errors, late,
                Latency.of(latency), Latency.of(service));
    }

    /** One connection's share of a paced schedule: every {@code every} ns from {@code start + offset}. */
    private static final class PacedClient extends Thread {

        private static final long LATE_NANOS = 1_000_000L;

        private final InetSocketAddress address;
        private final String path;
        private final CountDownLatch ready;
        private final long start;
        private final double offset;
        private final double every;
        private final long from;
        private final long until;
        final Histogram latency = histogram();
        final Histogram service = histogram();
        long errors;
        long late;
        volatile Exception failure;

        PacedClient(InetSocketAddress address, String path, CountDownLatch ready, int n, long start, double offset,
                    double every, long from, long until) {
            super("http-paced-" + n);
            setDaemon(true);
            this.address = address;
            this.path = path;
            this.ready = ready;
            this.start = start;
            this.offset = offset;
            this.every = every;
            this.from = from;
            this.until = until;
        }

        @Override
        public void run() {
            Connection c = null;
            try {
                c = new Connection(address, path);
                ready.countDown();
                for (long k = 0; ; k++) {
                    long intended = start + Math.round(offset + k * every);
                    if (intended - until >= 0) {
                        break;
                    }
                    parkUntil(intended);
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = c.get() == 200;
                    } catch (IOException e) {
                        ok = false;
                        c.close();
                        c = new Connection(address, path);
                    }
                    long t1 = System.nanoTime();
                    if (intended - from >= 0) {
                        latency.recordValue(t1 - intended);
                        service.recordValue(t1 - t0);
                        if (t0 - intended > LATE_NANOS) {
                            late++;
                        }
                        if (!ok) {
                            errors++;
                        }
                    }
                }
            } catch (Exception e) {
                failure = e;
                ready.countDown();
            } finally {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * Runs {@code clients} clients against {@code base}{@code path} for {@code warmup}, then for
     * {@code measure}, and returns what the measured part saw.
     */
    static Result run(URI base, String path, int clients, Duration warmup, Duration measure) throws Exception {
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        List<Client> running = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(clients);
        long[] window = new long[2]; // measured from, until (System.nanoTime), set before the clients start
        for (int i = 0; i < clients; i++) {
            running.add(new Client(address, path, ready, window, i));
        }
        long start = System.nanoTime() + 200_000_000L; // time for every thread to connect first
        window[0] = start + warmup.toNanos();
        window[1] = window[0] + measure.toNanos();
        running.forEach(Thread::start);
        ready.await();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        parkUntil(window[0]);
        long[] server = serverCpu(mx);
        long client = cpu(mx, running);
        long process = processCpu();
        parkUntil(window[1]);
        long serverNanos = serverCpu(mx)[0] - server[0];
        long clientNanos = cpu(mx, running) - client;
        long processNanos = processCpu() - process;
        Histogram merged = histogram();
        long errors = 0;
        long connections = 0;
        for (Client c : running) {
            c.join();
            if (c.failure != null) {
                throw new IllegalStateException("client " + c.getName() + " stopped: " + c.failure, c.failure);
            }
            merged.add(c.latencies);
            errors += c.errors;
            connections += c.connections;
        }
        return new Result(path, clients, measure.toNanos() / 1e9, merged.getTotalCount(), errors, connections,
                Latency.of(merged), serverNanos / 1e9, clientNanos / 1e9, processNanos / 1e9);
    }

    private static void parkUntil(long deadline) {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** CPU time so far of the admin server's threads: its executor's and the JDK server's dispatcher. */
    private static long[] serverCpu(ThreadMXBean mx) {
        long sum = 0;
        long threads = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("grace-http-") || t.getName().equals("HTTP-Dispatcher")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
                threads++;
            }
        }
        return new long[] {sum, threads};
    }

    private static long cpu(ThreadMXBean mx, List<Client> clients) {
        long sum = 0;
        for (Client c : clients) {
            sum += Math.max(0, mx.getThreadCpuTime(c.getId()));
        }
        return sum;
    }

    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** One client thread: its connection, its histogram, its counts. */
    private static final class Client extends Thread {

        private final InetSocketAddress address;
        private final String path;
        private final CountDownLatch ready;
        private final long[] window;
        final Histogram latencies = histogram();
        long errors;
        long connections;
        volatile Exception failure;

        Client(InetSocketAddress address, String path, CountDownLatch ready, long[] window, int n) {
            super("http-load-" + n);
            setDaemon(true);
            this.address = address;
            this.path = path;
            this.ready = ready;
            this.window = window;
        }

        @Override
        public void run() {
            Connection c = null;
            try {
                c = connect();
                ready.countDown();
                long from = window[0];
                long until = window[1];
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 - until >= 0) {
                        break;
                    }
                    boolean ok;
                    try {
                        ok = c.get() == 200;
                    } catch (IOException e) {
                        ok = false;
                        c.close();
                        c = connect();
                    }
                    long t1 = System.nanoTime();
                    if (t0 - from >= 0) {
                        latencies.recordValue(t1 - t0);
                        if (!ok) {
                            errors++;
                        }
                    }
                }
            } catch (Exception e) {
                failure = e;
                ready.countDown();
            } finally {
                if (c != null) {
                    c.close();
                }
            }
        }

        private Connection connect() throws IOException {
            connections++;
            return new Connection(address, path);
        }
    }

    /**
     * One HTTP/1.1 keep-alive connection that sends the same {@code GET} again and again and reads
     * each answer in full: status line, headers, and a body of {@code Content-Length} bytes or
     * chunked.
     */
    static final class Connection implements Closeable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] request;
        private final StringBuilder line = new StringBuilder(128);
        private byte[] body = new byte[1 << 16];
        private int bodyLength;

        Connection(InetSocketAddress address, String path) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
            request = ("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                    + "\r\nAccept: */*\r\nUser-Agent: grace-http-load\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        /**
         * Sends the request and reads the whole answer.
         *
         * @return the status code
         * @throws IOException when the connection failed or the server closed it (it is then unusable)
         */
        int get() throws IOException {
            out.write(request);
            out.flush();
            String status = readLine();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 status line: '" + status + "'");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = readLine(); !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            bodyLength = 0;
            if (chunked) {
                for (int size = Integer.parseInt(readLine().trim(), 16); size > 0;
                     size = Integer.parseInt(readLine().trim(), 16)) {
                    readBody(size);
                    readLine();
                }
                readLine();
            } else if (length > 0) {
                readBody(Math.toIntExact(length));
            }
            if (close) {
                throw new IOException("the server closed the connection after answering " + code);
            }
            return code;
        }

        /** The last answer's body. */
        byte[] body() {
            return Arrays.copyOf(body, bodyLength);
        }

        private void readBody(int n) throws IOException {
            if (bodyLength + n > body.length) {
                body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + n));
            }
            int read = in.readNBytes(body, bodyLength, n);
            if (read < n) {
                throw new IOException("the connection closed after " + read + " of " + n + " body bytes");
            }
            bodyLength += n;
        }

        private String readLine() throws IOException {
            line.setLength(0);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("the connection closed mid-answer");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a failed connection: nothing to do
            }
        }
    }
}
