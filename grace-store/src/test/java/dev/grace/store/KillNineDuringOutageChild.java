package dev.grace.store;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs in a JVM of its own for {@link KillNineDuringOutageTest}: a runtime on the database named by its
 * second argument publishes steadily and prints how many values it has published, until killed.
 */
public final class KillNineDuringOutageChild {

    static GraceConfig config(Path dataDir, String url) {
        return GraceConfig.defaults().withDataDir(dataDir).withPluginsDirs(List.of()).withNodeId("victim")
                .withStore(GraceConfig.Store.defaults().withUrl(url).withFlushInterval(Duration.ofMillis(100)));
    }

    public static void main(String[] args) throws InterruptedException {
        Probe probe = new Probe("victim", "ops");
        GraceRuntime runtime = GraceRuntime.builder().config(config(Path.of(args[0]), args[1]))
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

    private KillNineDuringOutageChild() {
    }
}
