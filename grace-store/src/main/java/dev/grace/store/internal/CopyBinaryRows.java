package dev.grace.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows of {@code metric_events} in PostgreSQL's binary {@code COPY} format, encoded into one reused
 * byte buffer. Binary rather than text: a double goes over as its eight bytes (no formatting, no
 * rounding through a decimal string) and a string as its UTF-8 bytes behind a length, so nothing in
 * a value (a tab, a newline, a backslash in metadata) needs escaping; grace-benchmarks'
 * StoreBenchmark measures it against text COPY of the same rows.
 *
 * <p>Takes each row's fields as primitives and strings, not as event objects, so it serves whatever
 * form a batch reaches the writer in. Not thread-safe: one per raw-event writer.
 */
final class CopyBinaryRows {

    /** "PGCOPY\n\377\r\n\0", then flags (0: no OIDs) and the header extension length (0). */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};
    /** node, domain, kpi, series, event_value, event_time, metadata: the column list of {@link PostgresCopy#SQL}. */
    private static final short FIELDS = 7;

    private byte[] buf = new byte[1 << 17];
    private int size;
    /**
     * The last domain, KPI and series seen and their UTF-8 bytes: a batch mostly repeats the same few strings
     * (the accumulator's own instances), so checking identity saves encoding each row's.
     */
    private String lastDomain;
    private byte[] lastDomainBytes;
    private String lastKpi;
    private byte[] lastKpiBytes;
    private String lastNode;
    private byte[] lastNodeBytes;
    private String lastSeries;
    private byte[] lastSeriesBytes;

    /** Starts a new COPY stream: the header; what was encoded before is discarded. */
    void start() {
        size = 0;
        put(HEADER, 0, HEADER.length);
    }

    /**
     * Appends one row.
     *
     * @param metadata the metadata as JSON, or null for none
     */
    void row(String node, String domain, String kpi, String series, double value, long epochMillis,
             CharSequence metadata) {
        ensure(2 + 4 * FIELDS + 16);
        putShort(FIELDS);
        if (node != lastNode) {
            lastNode = node;
            lastNodeBytes = node.getBytes(StandardCharsets.UTF_8);
        }
        putBytes(lastNodeBytes);
        if (domain != lastDomain) {
            lastDomain = domain;
            lastDomainBytes = domain.getBytes(StandardCharsets.UTF_8);
        }
        putBytes(lastDomainBytes);
        if (kpi != lastKpi) {
            lastKpi = kpi;
            lastKpiBytes = kpi.getBytes(StandardCharsets.UTF_8);
        }
        putBytes(lastKpiBytes);
        if (series != lastSeries) {
            lastSeries = series;
            lastSeriesBytes = series.getBytes(StandardCharsets.UTF_8);
        }
        putBytes(lastSeriesBytes);
        ensure(24);
        putInt(8);
        putLong(Double.doubleToRawLongBits(value));
        putInt(8);
        putLong(epochMillis);
        if (metadata == null) {
            ensure(4);
            putInt(-1);
        } else {
            putString(metadata);
        }
    }

    /** Ends the stream: the trailer. */
    void end() {
        ensure(2);
        putShort((short) -1);
    }

    /** The encoded bytes are {@code bytes()[0 .. size())}; valid until the next call. */
    byte[] bytes() {
        return buf;
    }

    int size() {
        return size;
    }

    /** Forgets what was encoded (after it was sent), keeping the buffer. */
    void clear() {
        size = 0;
    }

    private void putBytes(byte[] b) {
        ensure(4 + b.length);
        putInt(b.length);
        put(b, 0, b.length);
    }

    /** Text as its UTF-8 bytes; ASCII is copied char by char, anything else goes through the JDK's encoder. */
    private void putString(CharSequence s) {
        int n = s.length();
        ensure(4 + n);
        int at = size;
        size += 4;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                size = at;
                putBytes(s.toString().getBytes(StandardCharsets.UTF_8));
                return;
            }
            buf[size++] = (byte) c;
        }
        int end = size;
        size = at;
        putInt(n);
        size = end;
    }

    private void put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void putShort(short v) {
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putInt(int v) {
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
