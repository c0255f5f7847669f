package dev.grace.store.internal;

import dev.grace.api.SeriesKey;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.internal.rollup.Sketches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The store's local journal, {@code <dataDir>/journal/}: what the database could not take while it was
 * unreachable — batches of raw events, hour states and, at a stop, audit facts — appended to files, every record checksummed
 * (CRC32C), at most {@code store.journal.maxBytes} in all, replayed in order when the database answers
 * again ({@link #replay}) and deleted file by file once what a file holds is committed.
 *
 * <p><b>Exactly once.</b> Records are numbered, across files and incarnations. The replayer commits
 * each record in one transaction with the number of the last record it applied (kept in
 * {@code raw_event_batches} under {@link #appliedKey}), so a record whose commit happened before a crash
 * or a failure is skipped, not applied twice, however often the journal is replayed.
 *
 * <p><b>Order.</b> While the journal holds anything, new raw events are appended behind it
 * ({@link #appendRawIfHolding}) rather than written past it, so they reach the database in the order
 * they came; the journal empties only when the replayer finds nothing left.
 *
 * <p><b>Durability.</b> Appends go to the file system at once (a kill -9 of the JVM loses nothing
 * appended); a file is forced to the disk when it is sealed and at close, not at every append, so a
 * crash of the machine itself may lose the tail of the file being appended.
 *
 * <p>Thread-safe: the raw-event thread and the writer thread append, the writer thread replays.
 */
final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /**
     * Raw events as journals before series wrote them (no series field): still read, as events of the
     * KPI's total ({@code ""}), which is what they were. Never written any more.
     */
    static final byte RAW_WITHOUT_SERIES = 1;
    static final byte HOUR = 2;
    /**
     * The state of one hour of one series of a KPI: {@link #HOUR}'s record after the series key. Totals
     * stay {@link #HOUR} records, byte for byte as before series, so journals of either kind replay.
     */
    static final byte SERIES_HOUR = 3;
    /** Raw events, each with its series key after its KPI. */
    static final byte RAW = 4;
    /** One audit fact a stop could not write, appended to the chain at the next start. */
    static final byte AUDIT = 5;
    /** Raw events per record: a batch is split so that the bound drops little more than what exceeds it. */
    static final int RAW_EVENTS_PER_RECORD = 256;
    private static final long MAX_SEGMENT_BYTES = 8L << 20;
    /** The largest last file {@link #replay} writes holding the journal (appends wait meanwhile). */
    private static final long LAST_FILE_UNDER_LOCK_BYTES = 64L << 10;

    /** A batch of raw events; {@code seq} the raw-event batch sequence its first write tried, 0 when none. */
    record RawRecord(long record, long seq, List<RawEvent> events) {
    }

    /**
     * The state of one hour of one KPI (its total or one series) as this incarnation held it; {@code base} the row an earlier
     * incarnation had left for it when known, null when it was never read (then the row stored at replay
     * is the base).
     */
    record HourRecord(long record, long incarnation, HourlyRollup state, HourlyRollup base) {
    }

    /** An audit fact a stop could not write: appended to the audit log's chain at replay, in order. */
    record AuditRecord(long record, long occurredAt, String kind, String detail) {
    }

    /** What a replay applies. */
    interface Applier {
        /**
         * Applies the records of one file, in order, each exactly once (records up to the last applied
         * are skipped); throws when the database fails, and then the file stays.
         */
        void apply(List<Object> records);
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final ArrayDeque<JournalSegment> segments = new ArrayDeque<>();
    private JournalSegment active;
    private long bytes;
    private long nextRecord;
    private long nextSegment;

    private Journal(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(16 << 10, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8));
    }

    /**
     * Opens the journal in {@code dir}, creating the directory, and finds what an earlier incarnation
     * left there (a torn last record is logged and skipped).
     *
     * @param appliedUpTo the last record number the database has applied: new records are numbered after it
     */
    static Journal open(Path dir, long maxBytes, long appliedUpTo) {
        Journal j = new Journal(dir, maxBytes);
        List<Path> files;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> JournalSegment.number(p) >= 0)
                        .sorted(Comparator.comparingLong(JournalSegment::number)).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal directory " + dir + ": " + e.getMessage(), e);
        }
        long last = appliedUpTo;
        long lastSegment = 0;
        for (Path f : files) {
            JournalSegment s = JournalSegment.existing(f, JournalSegment.number(f));
            lastSegment = Math.max(lastSegment, s.number());
            if (s.isEmpty()) {
                s.delete();
                continue;
            }
            j.segments.add(s);
            j.bytes += s.size();
            last = Math.max(last, s.lastRecord());
        }
        j.nextRecord = last + 1;
        j.nextSegment = lastSegment + 1;
        if (!j.segments.isEmpty()) {
            LOG.info("journal: {} holds {} files, {} bytes, left by an earlier run; replaying them before anything"
                    + " else is written", dir, j.segments.size(), j.bytes);
        }
        return j;
    }

    /**
     * What the journal in {@code dir} holds beyond record {@code appliedUpTo} (what the database has
     * applied), read without opening it for appends: for readers beside a runtime, which may be appending.
     *
     * @return the records not yet applied and the bytes of the files holding them; zeros when there is none
     */
    static long[] backlog(Path dir, long appliedUpTo) {
        if (!Files.isDirectory(dir)) {
            return new long[] {0, 0};
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> JournalSegment.number(p) >= 0).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal directory " + dir + ": " + e.getMessage(), e);
        }
        long records = 0;
        long bytes = 0;
        for (Path f : files) {
            JournalSegment s;
            long pending;
            try {
                s = JournalSegment.existing(f, JournalSegment.number(f));
                pending = s.read().stream().filter(e -> e.record() > appliedUpTo).count();
            } catch (UncheckedIOException gone) {
                continue; // replayed and deleted meanwhile
            }
            if (pending > 0) {
                records += pending;
                bytes += s.size();
            }
        }
        return new long[] {records, bytes};
    }

    /** Whether the journal holds any record. */
    synchronized boolean holding() {
        return !segments.isEmpty();
    }

    /** Bytes of records held. */
    synchronized long bytes() {
        return bytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    Path directory() {
        return dir;
    }

    /**
     * Appends raw events if the journal holds anything (they go behind it, in order); does nothing
     * otherwise.
     *
     * @return the events that did not fit within the bound (to be counted as dropped), or null when the
     *         journal held nothing and took nothing
     */
    synchronized List<RawEvent> appendRawIfHolding(List<RawEvent> events) {
        return segments.isEmpty() ? null : appendRaw(0, events);
    }

    /**
     * Appends raw events, split into records of at most {@link #RAW_EVENTS_PER_RECORD} unless {@code seq}
     * names the batch sequence their first write tried (that batch stays one record).
     *
     * @return the events that did not fit within the bound, to be counted as dropped; empty when all fit
     */
    synchronized List<RawEvent> appendRaw(long seq, List<RawEvent> events) {
        List<RawEvent> dropped = new ArrayList<>();
        int step = seq == 0 ? RAW_EVENTS_PER_RECORD : Math.max(1, events.size());
        for (int from = 0; from < events.size(); from += step) {
            List<RawEvent> part = events.subList(from, Math.min(events.size(), from + step));
            if (!append(RAW, encodeRaw(seq, part))) {
                dropped.addAll(part);
            }
        }
        return dropped;
    }

    /** Appends one hour's state; false when it did not fit within the bound (to be counted as lost). */
    synchronized boolean appendHour(long incarnation, HourlyRollup state, HourlyRollup base) {
        return append(state.isTotal() ? HOUR : SERIES_HOUR, encodeHour(incarnation, state, base));
    }

    /** Appends one audit fact; false when it did not fit within the bound (to be counted as lost). */
    synchronized boolean appendAudit(long occurredAt, String kind, String detail) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + detail.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(occurredAt);
            text(out, kind);
            text(out, detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return append(AUDIT, bytes.toByteArray());
    }

    private boolean append(byte type, byte[] payload) {
        long size = JournalSegment.framedSize(payload.length);
        if (bytes + size > maxBytes) {
            return false;
        }
        if (active == null || active.size() + size > segmentBytes && !active.isEmpty()) {
            if (active != null) {
                active.seal();
            }
            active = JournalSegment.create(dir, nextSegment++);
            segments.add(active);
        }
        active.append(type, nextRecord++, payload);
        bytes += size;
        return true;
    }

    /**
     * Replays every record, oldest first, file by file: a file is sealed (appends go to a new one), its
     * records applied, then it is deleted. Returns when the journal holds nothing; what is appended
     * meanwhile is replayed in the same call.
     *
     * @throws RuntimeException what the applier threw: the file being replayed stays, and the next replay
     *         starts again at its first record not yet applied
     */
    void replay(Applier applier) {
        boolean applied = false;
        while (true) {
            JournalSegment s;
            synchronized (this) {
                s = segments.peekFirst();
                if (s == null) {
                    return;
                }
                if (applied && s == active && segments.size() == 1 && s.size() <= LAST_FILE_UNDER_LOCK_BYTES) {
                    // The last, small remainder is written holding the journal, so that appends wait for it
                    // (a few milliseconds) and then go to the database: replaying it unlocked, under a steady
                    // load, left a new remainder each time, some 50 files and half a second more (issue 14).
                    // Only once a file was written in this call: the database answers, so appends do not
                    // wait out a failing attempt (the pool's connection wait) behind it.
                    active.seal();
                    active = null;
                    applyAndDelete(s, applier);
                    return;
                }
                if (s == active) {
                    active.seal();
                    active = null;
                }
            }
            applyAndDelete(s, applier);
            applied = true;
        }
    }

    private void applyAndDelete(JournalSegment s, Applier applier) {
        List<Object> records = new ArrayList<>();
        for (JournalSegment.Entry e : s.read()) {
            records.add(decode(e));
        }
        applier.apply(records);
        synchronized (this) {
            segments.remove(s);
            bytes -= s.size();
            s.delete();
        }
    }

    /** Forces what was appended to the disk. */
    @Override
    public synchronized void close() {
        if (active != null) {
            active.seal();
            active = null;
        }
    }

    // --- encoding ---------------------------------------------------------------------------------

    private static byte[] encodeRaw(long seq, List<RawEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + events.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(seq);
            out.writeInt(events.size());
            for (RawEvent e : events) {
                text(out, e.pluginId());
                text(out, e.domain());
                text(out, e.kpi());
                text(out, e.series());
                out.writeDouble(e.value());
                out.writeLong(e.epochMillis());
                Map<String, String> meta = e.metadata() == null ? Map.of() : e.metadata();
                out.writeInt(meta.size());
                for (Map.Entry<String, String> m : meta.entrySet()) {
                    text(out, m.getKey());
                    text(out, m.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a ByteArrayOutputStream
        }
        return bytes.toByteArray();
    }

    private static byte[] encodeHour(long incarnation, HourlyRollup state, HourlyRollup base) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (!state.isTotal()) {
                text(out, state.series());
            }
            out.writeLong(incarnation);
            rollup(out, state);
            out.writeBoolean(base != null);
            if (base != null) {
                rollup(out, base);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void rollup(DataOutputStream out, HourlyRollup r) throws IOException {
        text(out, r.domain());
        text(out, r.kpi());
        out.writeLong(r.hourStart().toEpochMilli());
        out.writeLong(r.count());
        out.writeDouble(r.sum());
        out.writeDouble(r.min());
        out.writeDouble(r.max());
        out.writeDouble(r.sumOfSquares());
        byte[] sketch = r.sketchEncoded();
        out.writeInt(sketch.length);
        out.write(sketch);
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static Object decode(JournalSegment.Entry e) {
        ByteBuffer in = e.payload();
        if (e.type() == RAW || e.type() == RAW_WITHOUT_SERIES) {
            boolean withSeries = e.type() == RAW;
            long seq = in.getLong();
            int n = in.getInt();
            List<RawEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String plugin = text(in);
                String domain = text(in);
                String kpi = text(in);
                String series = withSeries ? text(in) : SeriesKey.TOTAL;
                double value = in.getDouble();
                long millis = in.getLong();
                int m = in.getInt();
                Map<String, String> meta = m == 0 ? Map.of() : new HashMap<>();
                for (int k = 0; k < m; k++) {
                    meta.put(text(in), text(in));
                }
                events.add(new RawEvent(plugin, domain, kpi, series, value, millis, m == 0 ? meta : Map.copyOf(meta)));
            }
            return new RawRecord(e.record(), seq, events);
        } else if (e.type() == HOUR || e.type() == SERIES_HOUR) {
            String series = e.type() == SERIES_HOUR ? text(in) : "";
            long incarnation = in.getLong();
            HourlyRollup state = rollup(in).as(series);
            HourlyRollup base = in.get() != 0 ? rollup(in).as(series) : null;
            return new HourRecord(e.record(), incarnation, state, base);
        } else if (e.type() == AUDIT) {
            long at = in.getLong();
            return new AuditRecord(e.record(), at, text(in), text(in));
        }
        throw new IllegalStateException("journal record " + e.record() + " has unknown type " + e.type());
    }

    private static HourlyRollup rollup(ByteBuffer in) {
        String domain = text(in);
        String kpi = text(in);
        long hour = in.getLong();
        long count = in.getLong();
        double sum = in.getDouble();
        double min = in.getDouble();
        double max = in.getDouble();
        double squares = in.getDouble();
        byte[] sketch = new byte[in.getInt()];
        in.get(sketch);
        return HourlyRollup.of(domain, kpi, hour, count, sum, min, max, squares, Sketches.decode(sketch));
    }

    private static String text(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The {@code raw_event_batches} key under which a node's last applied journal record is kept. */
    static String appliedKey(String node) {
        String key = "journal:" + node;
        return key.length() <= 128 ? key : "journal:" + Integer.toHexString(node.hashCode()) + ":"
                + node.substring(0, 100);
    }
}
