package dev.grace.store;

import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a load: what was flushed more than a flush interval (plus H2's own write
 * delay) before the kill is stored, and a restart on the same data directory continues the hour
 * (rebuilt from its raw events where they hold more) without counting anything twice.
 */
class KillNineTest {

    static final Duration FLUSH = Duration.ofMillis(100);
    /** H2 writes committed changes to its file within about a second (MVStore's auto-commit delay). */
    static final Duration H2_WRITE_DELAY = Duration.ofMillis(1_000);

    @TempDir
    Path dir;

    static GraceConfig config(Path dataDir) {
        return GraceConfig.defaults().withDataDir(dataDir).withPluginsDirs(List.of()).withNodeId("victim")
                .withStore(GraceConfig.Store.defaults().withFlushInterval(FLUSH));
    }

    record Progress(long atNanos, long published) {
    }

    @Test
    void aKilledRuntimeLosesAtMostTheLastFlushIntervalAndARestartCountsNothingTwice() throws Exception {
        Process child = ChildJvm.builder(KillNineChild.class, dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Progress> progress = new ArrayList<>();
        long killAt;
        try (BufferedReader out = ChildJvm.reader(child)) {
            ChildJvm.awaitStarted(out);
            String line;
            long start = System.nanoTime();
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("published ")) {
                    continue;
                }
                progress.add(new Progress(System.nanoTime(), Long.parseLong(line.substring("published ".length()))));
                if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(2_000)) {
                    break;
                }
            }
            killAt = System.nanoTime();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long lastSeen = progress.get(progress.size() - 1).published();
        long safeBefore = killAt - FLUSH.toNanos() - H2_WRITE_DELAY.toNanos() - TimeUnit.MILLISECONDS.toNanos(200);
        long mustBeStored = progress.stream().filter(p -> p.atNanos() < safeBefore)
                .mapToLong(Progress::published).max().orElse(0);
        assertThat(mustBeStored).isPositive();

        long stored = storedCount();
        assertThat(stored).isBetween(mustBeStored, lastSeen + 10_000);
        long raw;
        try (GraceStore store = GraceStore.open(config(dir))) {
            raw = store.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metric_events")
                    .mapTo(Long.class).one());
        }

        Probe probe = new Probe("victim", "ops");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config(dir)).discoverClasspath(false).plugin(probe)
                .build().start()) {
            for (int i = 0; i < 500; i++) {
                probe.publisher().record(Probe.LATENCY, 1);
            }
        }
        // the start rebuilds the crashed hour from its raw events where they hold more (CrashRebuildTest),
        // never lowers it, and counts nothing twice
        assertThat(storedCount()).isEqualTo(Math.max(stored, raw) + 500);
    }

    private long storedCount() {
        try (GraceStore store = GraceStore.open(config(dir))) {
            return store.rollups("ops", "latency", Period.HOUR, Instant.now().minus(Duration.ofHours(3))).stream()
                    .mapToLong(PeriodRollup::count).sum();
        }
    }
}
