package dev.grace.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Clients that misbehave on purpose, over real sockets on loopback: slowloris connections that
 * trickle header bytes, slow request bodies, and a probe that measures how long an honest request
 * takes meanwhile. Every loop here ends by itself at a deadline.
 */
final class HostileClients {

    /** What a probe run saw: each request's time to the end of its answer, or the timeout when none came. */
    record Figures(long[] micros, int answered, int timedOut, int slowOpened, int slowReopened) {
        long percentile(double p) {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        String summary() {
            return String.format("probes %d (answered %d, timed out %d): p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                            + " slow connections opened %d (reopened after the server closed them: %d)",
                    micros.length, answered, timedOut, percentile(50) / 1000.0, percentile(99) / 1000.0,
                    percentile(100) / 1000.0, slowOpened, slowReopened);
        }
    }

    private final String host;
    private final int port;

    HostileClients(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    /**
     * Holds {@code slowloris} connections that send a request line and then one header line a
     * second, never the blank line, and {@code slowBodies} POSTs that announce 60000 bytes and send
     * one a second (half of them with {@code token}, half without); meanwhile probes
     * {@code probePath} every 100 ms until {@code seconds} have passed.
     */
    Figures run(int slowloris, int slowBodies, String token, String probePath, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Slow> slow = new ArrayList<>();
        for (int i = 0; i < slowloris; i++) {
            slow.add(new Slow("GET /health HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"));
        }
        for (int i = 0; i < slowBodies; i++) {
            slow.add(new Slow("POST /api/cognition/domain/core/update HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n"
                    + (i % 2 == 0 && token != null ? "Authorization: Bearer " + token + "\r\n" : "") + "\r\n"));
        }
        int[] opened = {0};
        int[] reopened = {0};
        Thread driver = new Thread(() -> {
            try {
                while (System.nanoTime() < end) {
                    long tick = System.nanoTime();
                    for (Slow s : slow) {
                        if (System.nanoTime() >= end) {
                            break;
                        }
                        s.step(opened, reopened);
                    }
                    long rest = 1_000 - (System.nanoTime() - tick) / 1_000_000;
                    if (rest > 0) {
                        Thread.sleep(rest);
                    }
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            } finally {
                slow.forEach(Slow::close);
            }
        }, "slowloris");
        driver.setDaemon(true);
        driver.start();
        Thread.sleep(Math.min(3_000, seconds * 200L)); // let the slow connections pile up before measuring
        List<Long> micros = new ArrayList<>();
        int answered = 0;
        int timedOut = 0;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            String answer = request("GET " + probePath + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nConnection: close\r\n\r\n", 2_000);
            long took = (System.nanoTime() - t0) / 1_000;
            if (answer.startsWith("HTTP/1.1 200")) {
                answered++;
            } else {
                timedOut++;
                took = Math.max(took, 2_000_000);
            }
            micros.add(took);
            long rest = 100 - took / 1_000;
            if (rest > 0) {
                Thread.sleep(rest);
            }
        }
        driver.join(15_000);
        return new Figures(micros.stream().mapToLong(Long::longValue).toArray(), answered, timedOut, opened[0],
                reopened[0]);
    }

    /** Sends raw bytes and reads the answer until the server closes, or until {@code timeoutMillis} have passed. */
    String request(String raw, int timeoutMillis) {
        return new String(send(raw.getBytes(StandardCharsets.ISO_8859_1), timeoutMillis).bytes(), StandardCharsets.UTF_8);
    }

    /**
     * What came back for raw bytes, whether the server closed the connection before the timeout, when
     * (after sending) the first byte of an answer came, -1 for none, and when it closed or the wait ended.
     */
    record Answer(byte[] bytes, boolean closed, long firstByteMillis, long millis) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    Answer send(byte[] raw, int timeoutMillis) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMillis * 1_000_000L;
        long[] first = {-1};
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            OutputStream out = s.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (IOException closedWhileWriting) {
                return new Answer(got.toByteArray(), true, first[0], (System.nanoTime() - t0) / 1_000_000);
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return new Answer(got.toByteArray(), false, first[0], (System.nanoTime() - t0) / 1_000_000);
                }
                s.setSoTimeout((int) left);
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException stillOpen) {
                    return new Answer(got.toByteArray(), false, first[0], (System.nanoTime() - t0) / 1_000_000);
                } catch (IOException reset) {
                    return new Answer(got.toByteArray(), true, first[0], (System.nanoTime() - t0) / 1_000_000);
                }
                if (n < 0) {
                    return new Answer(got.toByteArray(), true, first[0], (System.nanoTime() - t0) / 1_000_000);
                }
                if (first[0] < 0) {
                    first[0] = (System.nanoTime() - t0) / 1_000_000;
                }
                got.write(buf, 0, n);
            }
        } catch (IOException refused) {
            return new Answer(got.toByteArray(), true, first[0], (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** One slow connection: its head, then a byte-sized step a second; reopened when the server drops it. */
    private final class Slow {
        private final String head;
        private Socket socket;
        private int step;
        private boolean dropped;

        Slow(String head) {
            this.head = head;
        }

        void step(int[] opened, int[] reopened) {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress(host, port), 1_000);
                    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                    opened[0]++;
                    if (dropped) {
                        reopened[0]++;
                    }
                    step = 0;
                    return;
                }
                step++;
                String next = head.startsWith("POST") ? "{" : "X-Slow-" + step + ": x\r\n";
                socket.getOutputStream().write(next.getBytes(StandardCharsets.US_ASCII));
                if (socket.getInputStream().available() > 0) {
                    dropped = true;
                    close(); // answered (a 401, a 408): a slow client starts over
                }
            } catch (IOException droppedByServer) {
                dropped = true;
                close();
            }
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a socket the server already dropped
                }
                socket = null;
            }
        }
    }
}
