package dev.grace.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;
import dev.grace.runtime.config.GraceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's maintenance as a plugin asks for it through {@code RuntimeActions}, on the embedded H2 store. */
class StoreActionsTest {

    @TempDir
    Path dir;

    private GraceConfig config() {
        return GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of(dir.resolve("plugins")))
                .withLifecycle(new GraceConfig.Lifecycle(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @Test
    void aBackupKeepsTheNewest24ZipsOfItsDirectory() throws Exception {
        java.nio.file.Path backups = java.nio.file.Files.createDirectories(dir.resolve("data/backups"));
        for (int day = 1; day <= 30; day++) {
            java.nio.file.Files.writeString(backups.resolve(String.format("grace-202610%02d-120000.zip", day)), "old");
        }
        java.nio.file.Files.writeString(backups.resolve("mine.zip"), "not a backup of the runtime's");
        TestClock clock = new TestClock(Instant.parse("2026-11-22T10:15:00Z"));
        TestPlugins.Good watcher = new TestPlugins.Good("watcher", "core");
        try (GraceRuntime runtime = GraceRuntime.builder().config(config()).clock(clock).discoverClasspath(false)
                .plugin(watcher).build().start()) {
            dev.grace.api.MaintenanceResult r = watcher.context.actions().backup();
            assertThat(r.done()).as(r.detail()).isTrue();
            assertThat(r.detail()).contains("7 older backups removed");
        }
        try (var files = java.nio.file.Files.list(backups)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .hasSize(25).contains("mine.zip", "grace-20261122-101500.zip", "grace-20261008-120000.zip")
                    .doesNotContain("grace-20261007-120000.zip");
        }
    }
}
