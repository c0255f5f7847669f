package dev.grace.cli;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) for {@code grace run}: the first asks the main thread to stop; a
 * second one while the stop is under way forces the exit with 128 + the signal's number (143, 130),
 * without writing what is still held.
 *
 * <p>Why not a shutdown hook: the JVM runs every hook at once, and H2 has one that closes its
 * databases. Closing the runtime from a hook therefore races H2 closing the store under it; the last
 * raw-event batches and the final rollup flush meet "Database is already closed" and are retried.
 * Handling the signals ourselves, the main thread closes the runtime (the store last) before the JVM
 * shuts down, and H2's hook finds nothing open.
 *
 * <p>{@code sun.misc.Signal} lives in the {@code jdk.unsupported} module, present on every JDK 17
 * Grace supports; should it be missing, or a signal be reserved (the JVM's {@code -Xrs}), {@link
 * #install} says so and the caller keeps its shutdown hook as the way to stop.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] NAMES = {"TERM", "INT"};

    private StopSignals() {
    }

    /**
     * Handles SIGTERM and SIGINT from now on.
     *
     * @param stop run once, on the first signal, on the JVM's signal thread; must not block
     * @return false when the signals cannot be handled here (then the JVM's default applies: it
     *         runs the shutdown hooks)
     */
    static boolean install(Runnable stop) {
        AtomicInteger received = new AtomicInteger();
        try {
            for (String name : NAMES) {
                Signal.handle(new Signal(name), signal -> {
                    if (received.incrementAndGet() == 1) {
                        LOG.info("stopping (SIG{} received); send it again to exit at once", signal.getName());
                        stop.run();
                    } else {
                        LOG.warn("SIG{} again while stopping: exiting now; what was not yet stored is lost",
                                signal.getName());
                        // halt, not exit: the fallback hook would wait for the stop this signal cuts short
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                });
            }
            return true;
        } catch (LinkageError | IllegalArgumentException unavailable) {
            LOG.debug("cannot handle SIGTERM/SIGINT ({}); stopping through the shutdown hook", unavailable.toString());
            return false;
        }
    }
}
