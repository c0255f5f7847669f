package dev.grace.store;

import dev.grace.runtime.GraceRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in a JVM of its own for {@link SigTermTest}: a busy plugin publishes until the test sends
 * SIGTERM; a shutdown hook closes the runtime, as {@code grace run} does, then prints how many
 * values were accepted.
 */
public final class SigTermChild {

    public static void main(String[] args) throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        GraceRuntime runtime = GraceRuntime.builder().config(SigTermTest.config(Path.of(args[0])))
                .discoverClasspath(false).plugin(new BusyProbe("terminated", "ops", Duration.ofMillis(50), accepted))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            System.out.println("accepted " + accepted.get());
        }, "test-shutdown"));
        runtime.start();
        System.out.println("started");
        Thread.sleep(Long.MAX_VALUE);
    }

    private SigTermChild() {
    }
}
