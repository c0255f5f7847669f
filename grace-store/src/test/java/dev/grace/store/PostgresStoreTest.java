package dev.grace.store;

import dev.grace.runtime.TestPostgres;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.internal.rollup.RollupRegistry;
import dev.grace.store.internal.StoreWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's contract on a real PostgreSQL server ({@link TestPostgres}, {@code .ci/run} starts
 * one). Each test gets a schema of its own. Without the server these tests are skipped, and say so.
 */
class PostgresStoreTest extends StoreContract {

    private String url;

    @BeforeEach
    void freshSchema() throws SQLException {
        url = TestPostgres.freshSchema("grace_test");
    }

    @Override
    GraceConfig.Store store() {
        return GraceConfig.Store.defaults().withUrl(url);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(store().url());
    }

    @Test
    void aCopyTheDatabaseFailsIsRetriedWithBackoffAndWrittenOnceWhenItWorksAgain() throws Exception {
        TestClock clock = new TestClock(H0);
        // without the journal, which would take the batch at the first failure: this is the retry path
        GraceConfig base = config(dir, "node-a");
        GraceConfig config = base.withStore(base.store().withJournal(new GraceConfig.Store.Journal(false, 0)));
        List<RawEvent> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            batch.add(new RawEvent("p", "perf", "latency", i, H0.toEpochMilli() + i, i % 7 == 0 ? Map.of("k", "v\t" + i) : Map.of()));
        }
        StoreWriter writer = StoreWriter.open(config, new RollupRegistry(clock, Duration.ofHours(2), 4), clock);
        try {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE metric_events RENAME TO metric_events_away"); // COPY fails: 42P01, not the rows' fault
            }
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    writer.accept(batch);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (writer.failedWrites() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(writer.failedWrites()).isGreaterThanOrEqualTo(2); // retried, not dropped
            assertThat(writer.stuckSince()).isPresent();
            assertThat(written).isNotDone();
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE metric_events_away RENAME TO metric_events");
            }
            written.get(60, TimeUnit.SECONDS);
            assertThat(writer.stuckSince()).isEmpty();
            assertThat(writer.rawEventsRefused()).isZero();
        } finally {
            writer.close();
        }
        assertThat(scalar("SELECT COUNT(*) FROM metric_events")).isEqualTo(5000);
        assertThat(scalar("SELECT COUNT(DISTINCT event_value) FROM metric_events")).isEqualTo(5000);
        assertThat(scalar("SELECT COUNT(*) FROM metric_events WHERE metadata IS NOT NULL")).isEqualTo(715);
    }
}
