package dev.grace.store.internal;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.internal.rollup.Sketches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal's files on a real file system: its bound, torn records, order and deletion after replay. */
class JournalTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger journalLog = (Logger) LoggerFactory.getLogger(Journal.class);

    @BeforeEach
    void captureLog() {
        log.start();
        journalLog.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        journalLog.detachAppender(log);
    }

    private static List<RawEvent> events(int from, int n) {
        List<RawEvent> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new RawEvent("p", "ops", "latency", i, 1_700_000_000_000L + i,
                    i % 7 == 0 ? Map.of("region", "eu-" + i) : Map.of()));
        }
        return out;
    }

    /** Every raw event a replay hands over, in order; the files are deleted after it. */
    private static List<RawEvent> replayAll(Journal journal) {
        List<RawEvent> out = new ArrayList<>();
        journal.replay(records -> records.forEach(r -> out.addAll(((Journal.RawRecord) r).events())));
        return out;
    }

    @Test
    void rawEventsKeepTheirSeriesThroughTheJournal() throws Exception {
        Journal journal = Journal.open(dir, 4L << 20, 0);
        List<RawEvent> batch = List.of(
                new RawEvent("p", "ops", "latency", "connector=billing", 1.5, 1_700_000_000_000L, Map.of()),
                new RawEvent("p", "ops", "latency", "", 2.5, 1_700_000_000_001L, Map.of("k", "v")),
                new RawEvent("p", "ops", "latency", "_overflow", 3.5, 1_700_000_000_002L, Map.of()),
                new RawEvent("p", "ops", "latency", "connector=a\\,b,region=eu", 4.5, 1_700_000_000_003L, Map.of()));
        assertThat(journal.appendRaw(0, batch)).isEmpty();
        journal.close();
        Journal reopened = Journal.open(dir, 4L << 20, 0);
        assertThat(replayAll(reopened)).isEqualTo(batch);
    }

    @Test
    void aJournalFileWrittenBeforeSeriesIsReplayedAsEventsOfTheKpisTotal() throws Exception {
        // a raw-event record as the journal wrote it before series (type 1): seq, count, then per event
        // plugin, domain, kpi, value, millis and the metadata entries, strings as length + UTF-8
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeLong(7);
            out.writeInt(2);
            for (int i = 0; i < 2; i++) {
                for (String t : new String[] {"p", "ops", "latency"}) {
                    out.write(new byte[] {0, 0, 0, (byte) t.length()});
                    out.writeBytes(t);
                }
                out.writeDouble(10 + i);
                out.writeLong(1_700_000_000_000L + i);
                out.writeInt(i);
                if (i == 1) {
                    out.writeInt(1);
                    out.writeBytes("k");
                    out.writeInt(1);
                    out.writeBytes("v");
                }
            }
        }
        JournalSegment old = JournalSegment.create(dir, 1);
        old.append((byte) 1, 5, bytes.toByteArray());
        old.seal();

        Journal journal = Journal.open(dir, 4L << 20, 0);
        List<Object> records = new ArrayList<>();
        journal.replay(records::addAll);
        assertThat(records).singleElement().isInstanceOf(Journal.RawRecord.class);
        Journal.RawRecord rr = (Journal.RawRecord) records.get(0);
        assertThat(rr.record()).isEqualTo(5);
        assertThat(rr.seq()).isEqualTo(7);
        assertThat(rr.events()).containsExactly(
                new RawEvent("p", "ops", "latency", "", 10, 1_700_000_000_000L, Map.of()),
                new RawEvent("p", "ops", "latency", "", 11, 1_700_000_000_001L, Map.of("k", "v")));
        // the next record appended after the old file is numbered after it, in the new format
        assertThat(journal.appendRaw(0, events(0, 1))).isEmpty();
        assertThat(replayAll(journal)).isEqualTo(events(0, 1));
    }

    @Test
    void whatIsAppendedIsReplayedInOrderAndTheFilesAreDeletedAfterIt() throws Exception {
        Journal journal = Journal.open(dir, 4L << 20, 0);
        List<RawEvent> all = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
            List<RawEvent> batch = events(b * 1000, 1000);
            assertThat(journal.appendRaw(0, batch)).isEmpty();
            all.addAll(batch);
        }
        assertThat(journal.holding()).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).as("rolled into several files").isGreaterThan(1);
        }
        assertThat(replayAll(journal)).isEqualTo(all);
        assertThat(journal.holding()).isFalse();
        assertThat(journal.bytes()).isZero();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void pastMaxBytesTheExcessIsDroppedAndCountedExactly() {
        long max = 64 << 10;
        Journal journal = Journal.open(dir, max, 0);
        int offered = 0;
        int dropped = 0;
        List<RawEvent> kept = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            List<RawEvent> batch = events(b * 100, 100);
            offered += batch.size();
            List<RawEvent> refused = journal.appendRaw(0, batch);
            dropped += refused.size();
            batch.stream().filter(e -> !refused.contains(e)).forEach(kept::add);
        }
        assertThat(dropped).as("2000 events do not fit in 64 KiB").isPositive();
        assertThat(journal.bytes()).isLessThanOrEqualTo(max);
        List<RawEvent> replayed = replayAll(journal);
        assertThat(replayed).isEqualTo(kept);
        assertThat(replayed.size() + dropped).isEqualTo(offered);
        // room again once replayed
        assertThat(journal.appendRaw(0, events(0, 100))).isEmpty();
    }

    @Test
    void aTornLastRecordIsSkippedWithOneWarningNamingFileAndOffsetAndNothingBeforeItIsLost() throws Exception {
        Journal journal = Journal.open(dir, 1L << 20, 0);
        journal.appendRaw(0, events(0, 300));           // two records: 256 + 44
        long before = journal.bytes();
        journal.appendRaw(0, events(300, 10));          // the third, to be torn
        journal.close();
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 5);                // a crash in the middle of the append
        }
        Journal reopened = Journal.open(dir, 1L << 20, 0);
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("torn record")).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains(file.toString())
                        .contains("at offset " + before));
        assertThat(replayAll(reopened)).isEqualTo(events(0, 300));
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("torn record")).hasSize(1);
    }

    @Test
    void aRecordWhoseBytesChangedFailsItsChecksumAndIsSkipped() throws Exception {
        Journal journal = Journal.open(dir, 1L << 20, 0);
        journal.appendRaw(0, events(0, 256));
        long first = journal.bytes();
        journal.appendRaw(0, events(256, 256));
        journal.close();
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(first + 40);
            int b = f.read();
            f.seek(first + 40);
            f.write(b ^ 0x10);
        }
        Journal reopened = Journal.open(dir, 1L << 20, 0);
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("torn record at offset " + first).contains("checksum mismatch"));
        assertThat(replayAll(reopened)).isEqualTo(events(0, 256));
    }

    @Test
    void aFailedReplayKeepsTheFileAndTheNextReplayHandsOverTheSameRecordsAgain() {
        Journal journal = Journal.open(dir, 1L << 20, 0);
        journal.appendRaw(0, events(0, 600));
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(() -> journal.replay(records -> {
            records.forEach(r -> seen.add(((Journal.RawRecord) r).record()));
            throw new IllegalStateException("database down");
        })).hasMessage("database down");
        assertThat(journal.holding()).isTrue();
        List<Long> again = new ArrayList<>();
        journal.replay(records -> records.forEach(r -> again.add(((Journal.RawRecord) r).record())));
        assertThat(again).isEqualTo(seen).containsExactly(1L, 2L, 3L);
        assertThat(journal.holding()).isFalse();
    }

    @Test
    void recordNumbersContinueAfterWhatTheDatabaseAppliedAndWhatFilesHold() {
        Journal journal = Journal.open(dir, 1L << 20, 41);
        journal.appendRaw(0, events(0, 1));
        journal.close();
        Journal reopened = Journal.open(dir, 1L << 20, 7);
        reopened.appendRaw(0, events(1, 1));
        List<Long> numbers = new ArrayList<>();
        reopened.replay(records -> records.forEach(r -> numbers.add(((Journal.RawRecord) r).record())));
        assertThat(numbers).containsExactly(42L, 43L);
    }

    @Test
    void anHourStateAndItsBaseComeBackExactly() {
        Journal journal = Journal.open(dir, 1L << 20, 0);
        var sketch = Sketches.newSketch();
        sketch.accept(1.5);
        sketch.accept(3);
        HourlyRollup state = HourlyRollup.of("ops", "latency", 3_600_000L, 2, 4.5, 1.5, 3, 11.25, sketch);
        assertThat(journal.appendHour(99, state, null)).isTrue();
        assertThat(journal.appendHour(99, state, state)).isTrue();
        List<Object> back = new ArrayList<>();
        journal.replay(back::addAll);
        assertThat(back).hasSize(2);
        Journal.HourRecord first = (Journal.HourRecord) back.get(0);
        assertThat(first.incarnation()).isEqualTo(99);
        assertThat(first.base()).isNull();
        assertThat(first.state().count()).isEqualTo(2);
        assertThat(first.state().sum()).isEqualTo(4.5);
        assertThat(first.state().quantile(1)).isEqualTo(state.quantile(1));
        assertThat(((Journal.HourRecord) back.get(1)).base().sumOfSquares()).isEqualTo(11.25);
    }

    @Test
    void seriesHourStatesComeBackUnderTheirSeriesBesideTotalsInOrder() {
        Journal journal = Journal.open(dir, 1L << 20, 0);
        var sketch = Sketches.newSketch();
        sketch.accept(2);
        HourlyRollup total = HourlyRollup.of("fed", "latency", 3_600_000L, 1, 2, 2, 2, 4, sketch);
        String key = "connector=a\\,b,region=eu";
        HourlyRollup series = total.as(key);
        HourlyRollup base = HourlyRollup.of("fed", "latency", key, 3_600_000L, 3, 3, 1, 1, 3, Sketches.newSketch());
        assertThat(journal.appendHour(7, total, null)).isTrue();
        assertThat(journal.appendHour(7, series, base)).isTrue();
        assertThat(journal.appendHour(7, series.as("_overflow"), null)).isTrue();
        List<Object> back = new ArrayList<>();
        journal.replay(back::addAll);
        assertThat(back).extracting(r -> ((Journal.HourRecord) r).state().series())
                .containsExactly("", key, "_overflow");
        Journal.HourRecord second = (Journal.HourRecord) back.get(1);
        assertThat(second.incarnation()).isEqualTo(7);
        assertThat(second.state().attributes()).containsEntry("connector", "a,b").containsEntry("region", "eu");
        assertThat(second.state().count()).isEqualTo(1);
        assertThat(second.base().series()).isEqualTo(key);
        assertThat(second.base().count()).isEqualTo(3);
        assertThat(((Journal.HourRecord) back.get(0)).state().isTotal()).isTrue();
    }

    @Test
    void auditFactsComeBackInOrderBetweenTheOtherRecordsAndAJournalReopenedHoldsThemToo() {
        Journal journal = Journal.open(dir, 1L << 20, 0);
        journal.appendRaw(0, List.of(new RawEvent("p", "ops", "latency", 1, 10, Map.of())));
        assertThat(journal.appendAudit(1_000, "plugin-started", "p")).isTrue();
        assertThat(journal.appendAudit(2_000, "runtime-closed", "node n1 closed — ünïcode")).isTrue();
        journal.close();
        Journal reopened = Journal.open(dir, 1L << 20, 0);
        List<Object> back = new ArrayList<>();
        reopened.replay(back::addAll);
        assertThat(back).hasSize(3);
        assertThat(back.get(0)).isInstanceOf(Journal.RawRecord.class);
        assertThat(back.subList(1, 3)).containsExactly(new Journal.AuditRecord(2, 1_000, "plugin-started", "p"),
                new Journal.AuditRecord(3, 2_000, "runtime-closed", "node n1 closed — ünïcode"));
    }

    @Test
    void theLastSmallFileIsReplayedHoldingTheJournalSoAnAppendMeanwhileWaitsAndThenGoesToTheDatabase()
            throws Exception {
        Journal journal = Journal.open(dir, 1L << 20, 0);
        journal.appendRaw(0, List.of(new RawEvent("p", "ops", "latency", 1, 10, Map.of())));
        java.util.concurrent.atomic.AtomicReference<List<RawEvent>> appended = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] rawThread = new Thread[1];
        int[] calls = {0};
        journal.replay(records -> {
            if (++calls[0] == 1) {
                // the first file is written (the database answers); meanwhile a small remainder arrives
                journal.appendRaw(0, List.of(new RawEvent("p", "ops", "latency", 2, 20, Map.of())));
                return;
            }
            // the remainder is written holding the journal: the raw-event thread's append waits for it
            rawThread[0] = new Thread(() -> appended.set(journal.appendRawIfHolding(
                    List.of(new RawEvent("p", "ops", "latency", 3, 30, Map.of())))));
            rawThread[0].start();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (rawThread[0].getState() != Thread.State.BLOCKED && rawThread[0].isAlive()
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(rawThread[0].getState()).as("the append waits for the replay").isEqualTo(Thread.State.BLOCKED);
        });
        rawThread[0].join(5_000);
        assertThat(calls[0]).isEqualTo(2);
        assertThat(appended.get()).as("the journal held nothing by then: the append took nothing").isNull();
        assertThat(journal.holding()).isFalse();
    }

    @Test
    void aReplayThatWroteNothingYetDoesNotHoldTheJournalWhileItTries() throws Exception {
        Journal journal = Journal.open(dir, 1L << 20, 0);
        journal.appendRaw(0, List.of(new RawEvent("p", "ops", "latency", 1, 10, Map.of())));
        java.util.concurrent.atomic.AtomicReference<List<RawEvent>> appended = new java.util.concurrent.atomic.AtomicReference<>();
        assertThatThrownBy(() -> journal.replay(records -> {
            // the database is down: this attempt fails, and appends must not wait for it
            Thread raw = new Thread(() -> appended.set(journal.appendRawIfHolding(
                    List.of(new RawEvent("p", "ops", "latency", 2, 20, Map.of())))));
            raw.start();
            try {
                raw.join(5_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("database down");
        })).hasMessage("database down");
        assertThat(appended.get()).as("appended behind what the journal holds, without waiting").isEmpty();
        assertThat(journal.holding()).isTrue();
    }
}
