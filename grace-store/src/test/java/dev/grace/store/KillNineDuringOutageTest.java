package dev.grace.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.config.GraceConfig;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a runtime in a child JVM while its database (an H2 server the test runs) is down: the raw
 * events it accepted during the outage reached the journal, which the next start writes, each once.
 * (The hours it held in memory die with it, like any unflushed hour: rebuilding them from the raw
 * events is start-up's other step, not the journal's.)
 */
class KillNineDuringOutageTest {

    static GraceConfig config(Path dataDir, String url) {
        return GraceConfig.defaults().withDataDir(dataDir).withPluginsDirs(List.of()).withNodeId("victim")
                .withStore(GraceConfig.Store.defaults().withUrl(url).withFlushInterval(Duration.ofMillis(100)));
    }


    @TempDir
    Path dir;

    record Progress(long atNanos, long published) {
    }

    @Test
    void rawEventsAcceptedDuringAnOutageSurviveAKillNineInTheJournalAndAreStoredOnce() throws Exception {
        try (StoreJournalTest.H2Server db = new StoreJournalTest.H2Server(dir.resolve("server"))) {
            Path data = dir.resolve("data");
            Process child = ChildJvm.builder(KillNineChild.class, data.toString(), db.url())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<Progress> progress = new ArrayList<>();
            long stoppedAt = 0;
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
                    long ran = System.nanoTime() - start;
                    if (stoppedAt == 0 && ran > TimeUnit.MILLISECONDS.toNanos(1_000)) {
                        db.stop();
                        stoppedAt = System.nanoTime();
                    }
                    if (stoppedAt != 0 && journalFiles(data) > 0
                            && System.nanoTime() - stoppedAt > TimeUnit.MILLISECONDS.toNanos(3_000)) {
                        break;
                    }
                }
                killAt = System.nanoTime();
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final flush
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            long lastSeen = progress.get(progress.size() - 1).published();
            // the raw-event thread drains every few ms; allow 200 ms between a publish and its append
            long safeBefore = killAt - TimeUnit.MILLISECONDS.toNanos(200);
            long mustBeStored = progress.stream().filter(p -> p.atNanos() < safeBefore)
                    .mapToLong(Progress::published).max().orElse(0);
            long stopped = stoppedAt;
            long duringOutage = mustBeStored - progress.stream().filter(p -> p.atNanos() < stopped)
                    .mapToLong(Progress::published).max().orElse(0);
            assertThat(duringOutage).as("values accepted during the outage, well before the kill").isPositive();
            assertThat(journalFiles(data)).isPositive();

            db.start();
            try (GraceRuntime again = GraceRuntime.builder().config(config(data, db.url()))
                    .discoverClasspath(false).plugin(new Probe("victim", "ops")).build().start()) {
                assertThat(journalFiles(data)).as("replayed at start").isZero();
            }
            long rows;
            try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM metric_events")) {
                rs.next();
                rows = rs.getLong(1);
            }
            System.out.printf("kill -9 during an outage: %d published (last seen), %d stored as raw events, at least"
                    + " %d expected (%d of them during the outage)%n", lastSeen, rows, mustBeStored, duringOutage);
            assertThat(rows).as("raw event rows").isBetween(mustBeStored, lastSeen + 100);
        }
    }

    private static long journalFiles(Path data) {
        Path journal = data.resolve("journal");
        if (!Files.isDirectory(journal)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
