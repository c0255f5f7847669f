package host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.config.GraceConfig;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeOnlyHostTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:00Z");

    @TempDir
    Path dataDir;

    @Test
    void noDatabaseDriverMigrationToolPoolOrHttpServerIsOnTheClasspath() {
        for (String type : List.of("org.h2.Driver", "org.postgresql.Driver", "org.flywaydb.core.Flyway",
                "com.zaxxer.hikari.HikariDataSource", "org.jdbi.v3.core.Jdbi", "org.eclipse.jetty.server.Server",
                "dev.grace.store.GraceStore", "dev.grace.admin.AdminExtension")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(type), type + " is on the classpath");
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String jar = Path.of(entry).getFileName().toString();
            assertTrue(!jar.matches("(?i)(h2|postgresql|flyway|hikaricp|jdbi|jetty).*"), jar + " is on the classpath");
        }
    }

    @Test
    void aHostOfTheRuntimeAloneStartsItsPluginAndReadsItsRollupsInMemory() {
        CheckoutPlugin checkout = new CheckoutPlugin();
        GraceConfig config = GraceConfig.defaults().withDataDir(dataDir).withPluginsDirs(List.of());
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .discoverClasspath(false).plugin(checkout).build().start()) {
            for (int seconds = 1; seconds <= 3; seconds++) {
                assertTrue(checkout.publisher().record(CheckoutPlugin.LATENCY, seconds));
            }

            HourlyRollup hour = runtime.rollups().hour("shop", "latency", Instant.parse("2026-11-22T10:00:00Z"))
                    .orElseThrow();
            assertEquals(3, hour.count());
            assertEquals(6.0, hour.sum());
            assertEquals(1.0, hour.min());
            assertEquals(3.0, hour.max());
            assertTrue(runtime.storeLocation().isEmpty(), "a store is attached");
            assertTrue(runtime.adminEndpoint().isEmpty(), "an admin server is listening");
        }
    }
}
