package dev.grace.store;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;

import java.nio.file.Path;

/**
 * Runs in a JVM of its own for {@link KillNineTest} (argument: the data directory) and
 * {@link KillNineDuringOutageTest} (and the URL of its database server): publishes steadily and
 * prints how many values it has published, until the test kills it with SIGKILL.
 */
public final class KillNineChild {

    public static void main(String[] args) throws InterruptedException {
        Probe probe = new Probe("victim", "ops");
        GraceConfig config = args.length > 1 ? KillNineDuringOutageTest.config(Path.of(args[0]), args[1])
                : KillNineTest.config(Path.of(args[0]));
        GraceRuntime runtime = GraceRuntime.builder().config(config)
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
