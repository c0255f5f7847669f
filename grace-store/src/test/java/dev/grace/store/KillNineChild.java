package dev.grace.store;

import dev.grace.runtime.GraceRuntime;
import java.nio.file.Path;

/**
 * Runs in a JVM of its own for {@link KillNineTest}: publishes steadily and prints how many values
 * it has published, until the test kills it with SIGKILL.
 */
public final class KillNineChild {

    public static void main(String[] args) throws InterruptedException {
        Probe probe = new Probe("victim", "ops");
        GraceRuntime runtime = GraceRuntime.builder().config(KillNineTest.config(Path.of(args[0])))
                .discoverClasspath(false).plugin(probe).build().start();
        System.out.println("started");
        long published = 0;
        while (true) {
            for (int i = 0; i < 100; i++) {
                probe.publisher().record(Probe.LATENCY, 1);
                published++;
            }
            System.out.println("published " + published);
            Thread.sleep(5);
        }
    }

    private KillNineChild() {
    }
}
