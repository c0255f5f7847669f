package dev.grace.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

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
 * Grace supports; should it be missing, or a signal be reserved (the JVM's {@code -Xrs}), that signal
 * keeps the JVM's default, and the caller's shutdown hook remains the way it stops.
 */
final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] NAMES = {"TERM", "INT"};

    private final Map<Signal, SignalHandler> previous;

    private StopSignals(Map<Signal, SignalHandler> previous) {
        this.previous = previous;
    }

    /**
     * Handles SIGTERM and SIGINT until {@link #close()}. Where one cannot be handled here, the JVM's
     * default stays for it: it runs the shutdown hooks.
     *
     * @param stop run once, on the first signal, on the JVM's signal thread; must not block
     */
    static StopSignals install(Runnable stop) {
        AtomicInteger received = new AtomicInteger();
        SignalHandler handler = signal -> {
            if (received.incrementAndGet() == 1) {
                LOG.info("stopping (SIG{} received); send it again to exit at once", signal.getName());
                stop.run();
            } else {
                LOG.warn("SIG{} again while stopping: exiting now; what was not yet stored is lost", signal.getName());
                // halt, not exit: exit would run the fallback hook, which waits for the stop this signal cuts short
                Runtime.getRuntime().halt(128 + signal.getNumber());
            }
        };
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, handler));
            } catch (LinkageError | IllegalArgumentException unavailable) {
                LOG.debug("cannot handle SIG{} ({}); it stops grace run through the shutdown hook", name,
                        unavailable.toString());
            }
        }
        return new StopSignals(previous);
    }

    /** Gives the signals back to the handlers they had before (the JVM's: run the shutdown hooks and exit). */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
