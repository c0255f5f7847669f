package dev.grace.store;

import dev.grace.runtime.config.GraceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The store's contract on the embedded default: an H2 file under the data directory. */
class H2StoreTest extends StoreContract {

    @Override
    GraceConfig.Store store() {
        // One file for the test, shared by every runtime the test starts (several data directories).
        return GraceConfig.Store.defaults().withUrl("jdbc:h2:file:" + dir.resolve("db/grace") + ";AUTO_SERVER=TRUE");
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(store().url());
    }

    @Test
    void aBackupHoldsTheSeriesRowsAndARestoredStoreReadsThemBack() throws Exception {
        TestClock clock = new TestClock(H0.plus(Duration.ofMinutes(10)));
        GraceConfig config = config(dir, "node-a");
        SeriesProbe probe = new SeriesProbe("backed-up", "fed");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(clock).discoverClasspath(false)
                .plugin(probe).build().start()) {
            for (int i = 1; i <= 10; i++) {
                probe.series("a", "eu").record(i);
                probe.series("b", "us").record(2 * i);
            }
        }
        Path zip = dir.resolve("backup.zip");
        List<PeriodRollup> before;
        try (GraceStore store = GraceStore.open(config, clock)) {
            before = store.rollupsBy("fed", "latency", "connector", Period.DAY, H0);
            store.backup(zip);
        }
        Path restored = dir.resolve("restored");
        Files.createDirectories(restored.resolve("store"));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Files.copy(in, restored.resolve("store").resolve(Path.of(e.getName()).getFileName()));
            }
        }
        GraceConfig fromBackup = GraceConfig.defaults().withDataDir(restored).withNodeId("node-a")
                .withPluginsDirs(List.of());
        try (GraceStore store = GraceStore.open(fromBackup, clock)) {
            List<PeriodRollup> after = store.rollupsBy("fed", "latency", "connector", Period.DAY, H0);
            assertThat(after).extracting(PeriodRollup::series, PeriodRollup::count, PeriodRollup::sum)
                    .containsExactly(tuple("connector=a", 10L, 55.0), tuple("connector=b", 10L, 110.0));
            assertThat(after).extracting(PeriodRollup::p95)
                    .containsExactlyElementsOf(before.stream().map(PeriodRollup::p95).toList());
        }
    }
}
