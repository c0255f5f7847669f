package dev.grace.store;

import dev.grace.runtime.GraceRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in a JVM of its own for {@link SystemExitTest}: a busy plugin publishes while a thread of the
 * host calls {@code System.exit(0)} (as a plugin may); a shutdown hook of the host closes the runtime
 * and prints how many values were accepted.
 */
public final class SystemExitChild {

    public static void main(String[] args) throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        GraceRuntime runtime = GraceRuntime.builder().config(SigTermTest.config(Path.of(args[0])))
                .discoverClasspath(false).plugin(new BusyProbe("exiting", "ops", Duration.ofMillis(50), accepted))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            System.out.println("accepted " + accepted.get());
        }, "host-shutdown"));
        runtime.start();
        System.out.println("started");
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(500); // publishing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.exit(0);
        }, "exiting-plugin");
        exit.start();
        Thread.sleep(Long.MAX_VALUE);
    }

    private SystemExitChild() {
    }
}
