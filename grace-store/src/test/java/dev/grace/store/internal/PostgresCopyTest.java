package dev.grace.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.RawEvent;
import dev.grace.runtime.TestPostgres;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.publish.RawEventColumns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PostgresCopy#write} on a real PostgreSQL server, in a transaction as the raw-event writer opens
 * it: the rows, the batch sequence and the commit; a sequence stored before writes nothing and leaves
 * the connection usable. Skipped without {@code -Dgrace.test.postgres.url}.
 */
class PostgresCopyTest {

    @TempDir
    Path dir;

    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private static RawEventColumns rows(int n, String series) {
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new RawEvent("p", "ops", "latency", series, i, 1_700_000_000_000L + i,
                    i % 3 == 0 ? Map.of("k", "v\t\"" + i) : Map.of()));
        }
        return RawEventColumns.of(events);
    }

    private boolean write(RawEventInsert copy, String node, long seq, RawEventColumns batch) {
        RawEventBatchDao batches = new RawEventBatchDao();
        return db.jdbi().inTransaction(h -> copy.write(h, batches, node, seq, batch, 0, batch.size()));
    }

    private long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void aBatchIsWrittenWithItsSequenceOnceAndASequenceStoredBeforeWritesNothing() throws Exception {
        String url = TestPostgres.freshSchema("grace_copy");
        db = Database.connect(GraceConfig.defaults().withDataDir(dir).withStore(GraceConfig.Store.defaults().withUrl(url)));
        db.migrate();
        RawEventInsert copy = RawEventInsert.forVendor(db.vendor(), new MetricEventDao());
        assertThat(copy).isInstanceOf(PostgresCopy.class);

        assertThat(write(copy, "n1", 1, rows(500, "connector=a"))).as("no row for n1 yet: inserted").isTrue();
        assertThat(count("SELECT last_seq FROM raw_event_batches WHERE node = 'n1'")).isEqualTo(1);
        assertThat(write(copy, "n1", 1, rows(500, "connector=a"))).as("the same sequence again").isFalse();
        assertThat(write(copy, "n1", 0, rows(7, ""))).as("an older sequence").isFalse();
        assertThat(count("SELECT COUNT(*) FROM metric_events")).as("nothing written twice").isEqualTo(500);
        assertThat(write(copy, "n1", 2, rows(300, ""))).as("the connection is usable after a refusal").isTrue();
        assertThat(write(copy, "n2", 9, rows(10, ""))).isTrue();
        assertThat(count("SELECT COUNT(*) FROM metric_events")).isEqualTo(810);
        assertThat(count("SELECT COUNT(*) FROM metric_events WHERE series = 'connector=a'")).isEqualTo(500);
        assertThat(count("SELECT COUNT(*) FROM metric_events WHERE metadata IS NOT NULL")).isEqualTo(167 + 100 + 4);
        assertThat(count("SELECT last_seq FROM raw_event_batches WHERE node = 'n1'")).isEqualTo(2);
        assertThat(count("SELECT last_seq FROM raw_event_batches WHERE node = 'n2'")).isEqualTo(9);
    }
}
