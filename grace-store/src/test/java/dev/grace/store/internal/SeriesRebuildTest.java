package dev.grace.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.TestPostgres;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.publish.RawEventColumns;
import dev.grace.runtime.internal.rollup.Sketches;
import dev.grace.runtime.store.Period;
import dev.grace.store.VerifyReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CrashRebuild} and verify with raw events of several series, on a real H2 file and (with
 * {@code -Dgrace.test.postgres.url}) PostgreSQL: raw events written through the writer's own insert
 * (the batch insert on H2, binary COPY on PostgreSQL), rollup rows through {@link RollupDao}, then a
 * rebuild after an unclean stop and a verify, as a start and {@code grace verify} run them.
 */
class SeriesRebuildTest {

    static final long HOUR = 3_600_000L;
    static final long H0 = Instant.parse("2026-11-22T22:00:00Z").toEpochMilli();
    static final String NODE = "victim";
    static final String A = "connector=a\\,b";
    static final String B = "connector=zürich";

    @TempDir
    Path dir;

    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private void open(String url) throws Exception {
        GraceConfig.Store store = GraceConfig.Store.defaults();
        if (url != null) {
            store = store.withUrl(url);
        }
        db = Database.connect(GraceConfig.defaults().withDataDir(dir).withNodeId(NODE).withStore(store));
        db.migrate();
    }

    /** The value of the n-th event of a series: spread, so that the sketch has work. */
    static double value(int n, String series) {
        return 1 + (n * 7919L + series.length()) % 1000;
    }

    /** n events of each series in hour {@code hour}, written as the raw-event writer writes them. */
    private List<RawEvent> writeRaw(long hour, int total, int a, int b) {
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < Math.max(total, Math.max(a, b)); i++) {
            if (i < total) {
                events.add(new RawEvent("p", "fed", "latency", "", value(i, ""), hour + i, Map.of()));
            }
            if (i < a) {
                events.add(new RawEvent("p", "fed", "latency", A, value(i, A), hour + i, Map.of("k", "v")));
            }
            if (i < b) {
                events.add(new RawEvent("p", "fed", "latency", B, value(i, B), hour + i, Map.of()));
            }
        }
        RawEventInsert insert = RawEventInsert.forVendor(db.vendor(), new MetricEventDao());
        db.jdbi().useTransaction(h -> insert.insert(h, NODE, RawEventColumns.of(events), 0, events.size()));
        return events;
    }

    /** The rollup of the events of one series ("" and {@code total}: every event of the KPI). */
    static HourlyRollup rollupOf(List<RawEvent> events, String series, boolean total, long hour) {
        DDSketch sketch = Sketches.newSketch();
        long n = 0;
        double sum = 0;
        double squares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (RawEvent e : events) {
            if (total || e.series().equals(series)) {
                sketch.accept(e.value());
                n++;
                sum += e.value();
                squares += e.value() * e.value();
                min = Math.min(min, e.value());
                max = Math.max(max, e.value());
            }
        }
        return HourlyRollup.of("fed", "latency", series, hour, n, sum, min, max, squares, sketch);
    }

    private void store(List<HourlyRollup> rows) {
        db.jdbi().useTransaction(h -> new RollupDao(db.vendor()).upsertHours(h, NODE, rows, H0));
    }

    private Map<String, HourlyRollup> storedHours(long hour) {
        Map<String, HourlyRollup> out = new java.util.TreeMap<>();
        db.jdbi().useHandle(h -> new RollupDao(db.vendor()).ownHoursSince(h, NODE, hour)
                .forEach(r -> out.put(r.series(), r)));
        return out;
    }

    private List<String> audit(String kind) {
        return db.jdbi().withHandle(h -> new AuditLogDao().details(h, kind));
    }

    @Test
    void onH2SeriesHoursAreRebuiltBesideTheTotalAndVerifyAgrees() throws Exception {
        seriesHoursAreRebuilt(null);
    }

    @Test
    void onPostgresSeriesHoursAreRebuiltBesideTheTotalAndVerifyAgrees() throws Exception {
        seriesHoursAreRebuilt(TestPostgres.freshSchema("grace_series_rebuild"));
    }

    private void seriesHoursAreRebuilt(String url) throws Exception {
        open(url);
        long hour = H0 + HOUR;
        // what the last flush held: 40 of the total's own values, 30 of A, none of B
        List<RawEvent> flushed = writeRaw(hour, 40, 30, 0);
        store(List.of(rollupOf(flushed, "", true, hour), rollupOf(flushed, A, false, hour)));
        // accepted after the flush, their raw events stored, then killed
        List<RawEvent> after = writeRaw(hour + 1000, 10, 20, 25);
        List<RawEvent> all = new ArrayList<>(flushed);
        all.addAll(after);

        CrashRebuild.Outcome o = new CrashRebuild(db, NODE).rebuild(
                new RunMarker.Unclean(NODE, hour, hour + 500, true), hour + 40 * 60_000L, Duration.ofDays(7).toMillis());

        assertThat(o.hoursRebuilt()).isEqualTo(1);
        assertThat(o.hoursNotRebuilt()).isZero();
        assertThat(o.valuesAdded()).as("values added to the total").isEqualTo(55);
        Map<String, HourlyRollup> rows = storedHours(hour);
        assertThat(rows.keySet()).containsExactly("", A, B);
        for (String s : List.of("", A, B)) {
            HourlyRollup expected = rollupOf(all, s, s.isEmpty(), hour);
            HourlyRollup got = rows.get(s);
            assertThat(got.count()).as(s).isEqualTo(expected.count());
            assertThat(got.min()).as(s).isEqualTo(expected.min());
            assertThat(got.max()).as(s).isEqualTo(expected.max());
            assertThat(got.quantile(0.95)).as(s).isEqualTo(expected.quantile(0.95));
        }
        assertThat(rows.get("").count()).isEqualTo(50 + 50 + 25);
        db.jdbi().useHandle(h -> {
            RollupDao dao = new RollupDao(db.vendor());
            long day = Period.DAY.start(hour);
            assertThat(dao.own(h, NODE, "fed", "latency", B, Period.DAY, day))
                    .as("the series' day follows its hour").get().extracting(HourlyRollup::count).isEqualTo(25L);
            assertThat(dao.own(h, NODE, "fed", "latency", "", Period.DAY, day)).as("the total's day")
                    .get().extracting(HourlyRollup::count).isEqualTo(125L);
        });
        assertThat(audit(CrashRebuild.REBUILT)).singleElement().asString()
                .contains("node victim hour " + Instant.ofEpochMilli(hour))
                .contains("fed/latency 70 → 125")
                .contains("fed/latency{" + A + "} 30 → 50")
                .contains("fed/latency{" + B + "} 0 → 25");
        VerifyReport report = new StoreReader(db).verify(H0);
        assertThat(report.differences()).isEmpty();
        assertThat(report.hoursCompared()).as("the total and two series").isEqualTo(3);
    }

    @Test
    void onH2VerifyListsASeriesHourThatDisagreesWithItsSeriesKey() throws Exception {
        seriesDifferenceIsListed(null);
    }

    @Test
    void onPostgresVerifyListsASeriesHourThatDisagreesWithItsSeriesKey() throws Exception {
        seriesDifferenceIsListed(TestPostgres.freshSchema("grace_series_verify"));
    }

    private void seriesDifferenceIsListed(String url) throws Exception {
        open(url);
        List<RawEvent> events = writeRaw(H0, 5, 7, 3);
        HourlyRollup b = rollupOf(events, B, false, H0);
        store(List.of(rollupOf(events, "", true, H0), rollupOf(events, A, false, H0),
                HourlyRollup.of("fed", "latency", B, H0, b.count() - 1, b.sum(), b.min(), b.max(), b.sumOfSquares(),
                        Sketches.newSketch())));
        VerifyReport report = new StoreReader(db).verify(H0);
        assertThat(report.hoursCompared()).isEqualTo(3);
        assertThat(report.differences()).singleElement().asString()
                .startsWith("node victim fed/latency{" + B + "} hour " + Instant.ofEpochMilli(H0) + ": stored count=2")
                .contains("raw events count=3");
    }

    @Test
    void onH2AnHourPastRawRetentionIsNotRebuiltAndVerifySaysPurgedByRetention() throws Exception {
        purgedByRetention(null);
    }

    @Test
    void onPostgresAnHourPastRawRetentionIsNotRebuiltAndVerifySaysPurgedByRetention() throws Exception {
        purgedByRetention(TestPostgres.freshSchema("grace_series_purged"));
    }

    private void purgedByRetention(String url) throws Exception {
        open(url);
        // hour H0 stored 20 values; retention purged its raw events but 5
        List<RawEvent> events = writeRaw(H0, 20, 0, 0);
        store(List.of(rollupOf(events, "", true, H0)));
        db.jdbi().useHandle(h -> h.execute("DELETE FROM metric_events WHERE event_time >= ?", H0 + 5));
        long now = H0 + 3 * HOUR + 60_000;
        long retention = 2 * HOUR; // covers from H0 + 2h on

        CrashRebuild.Outcome o = new CrashRebuild(db, NODE).rebuild(
                new RunMarker.Unclean(NODE, Long.MIN_VALUE, H0, true), now, retention);

        assertThat(o.hoursRebuilt()).isZero();
        assertThat(o.hoursNotRebuilt()).isEqualTo(1);
        assertThat(storedHours(H0).get("").count()).as("never lowered").isEqualTo(20);
        assertThat(audit(CrashRebuild.NOT_REBUILT)).singleElement().asString()
                .isEqualTo("node victim hour " + Instant.ofEpochMilli(H0) + ": not rebuilt after an unclean stop: raw"
                        + " events purged by retention (store.rawRetention) (fed/latency stored 20, raw events 5)");
        // verify covers only what retention keeps: the hour is listed as not covered, with its reason
        VerifyReport report = new StoreReader(db).verify(now - retention);
        assertThat(report.differences()).isEmpty();
        assertThat(report.notRebuilt()).singleElement().asString().contains("raw events purged by retention");
    }

    @Test
    void onH2AnHourWithFewerRawEventsThanStoredIsNotRebuiltAndVerifySaysRawEventsDropped() throws Exception {
        rawEventsDropped(null);
    }

    @Test
    void onPostgresAnHourWithFewerRawEventsThanStoredIsNotRebuiltAndVerifySaysRawEventsDropped() throws Exception {
        rawEventsDropped(TestPostgres.freshSchema("grace_series_dropped"));
    }

    private void rawEventsDropped(String url) throws Exception {
        open(url);
        // the rollups counted 12 values of series A; the ring dropped 4 of their raw events
        List<RawEvent> events = writeRaw(H0, 3, 8, 0);
        HourlyRollup a = rollupOf(events, A, false, H0);
        HourlyRollup total = rollupOf(events, "", true, H0);
        store(List.of(HourlyRollup.of("fed", "latency", "", H0, total.count() + 4, total.sum(), total.min(), total.max(),
                        total.sumOfSquares(), Sketches.newSketch()),
                HourlyRollup.of("fed", "latency", A, H0, 12, a.sum(), a.min(), a.max(), a.sumOfSquares(),
                        Sketches.newSketch())));

        CrashRebuild.Outcome o = new CrashRebuild(db, NODE).rebuild(
                new RunMarker.Unclean(NODE, H0, H0 + 1, true), H0 + 30 * 60_000L, Duration.ofDays(7).toMillis());

        assertThat(o.hoursRebuilt()).isZero();
        assertThat(o.hoursNotRebuilt()).isEqualTo(1);
        assertThat(storedHours(H0).get(A).count()).as("never lowered").isEqualTo(12);
        VerifyReport report = new StoreReader(db).verify(H0);
        assertThat(report.differences()).hasSize(2).allSatisfy(d -> assertThat(d)
                .contains("not rebuilt after an unclean stop: raw events dropped: fewer raw events than stored values")
                .contains("fed/latency stored 15, raw events 11; fed/latency{" + A + "} stored 12, raw events 8"));
        assertThat(report.differences().get(1)).startsWith("node victim fed/latency{" + A + "} hour "
                + Instant.ofEpochMilli(H0) + ": stored count=12");
    }
}
