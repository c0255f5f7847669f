package dev.grace.store.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One file of the {@link Journal}: records appended one after the other, each framed as
 * {@code [int length][int CRC32C][length bytes: type, record number, payload]}. A file is appended to by
 * one incarnation only, then sealed (no longer appended to), replayed and deleted.
 *
 * <p>The valid part of a file is the records before the first whose frame is cut short or whose
 * checksum does not match: a crash in the middle of an append leaves such a torn last record. Opening
 * a file finds it, logs one WARN naming the file and the offset, and reads only what precedes it.
 */
final class JournalSegment {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /** The frame before a record's bytes: its length and its checksum. */
    static final int FRAME = 8;
    /** Type byte and record number, the part of a record before its payload. */
    static final int HEAD = 1 + 8;

    /** A record as read back: its type, number and payload. */
    record Entry(byte type, long record, ByteBuffer payload) {
    }

    private final Path file;
    private final long number;
    /** Bytes of whole, checksummed records. */
    private long size;
    private long firstRecord = Long.MAX_VALUE;
    private long lastRecord;
    private FileChannel appender;

    private JournalSegment(Path file, long number) {
        this.file = file;
        this.number = number;
    }

    /** A new, empty file, open for appending. */
    static JournalSegment create(Path dir, long number) {
        JournalSegment s = new JournalSegment(dir.resolve(name(number)), number);
        try {
            s.appender = FileChannel.open(s.file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create journal file " + s.file + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** An existing file, sealed: scans it for its valid records (a torn last record is logged once). */
    static JournalSegment existing(Path file, long number) {
        JournalSegment s = new JournalSegment(file, number);
        s.size = s.scan(null);
        return s;
    }

    static String name(long number) {
        return String.format("journal-%016d.log", number);
    }

    /** The number a file's name carries; -1 when it is not a journal file. */
    static long number(Path file) {
        String n = file.getFileName().toString();
        if (!n.startsWith("journal-") || !n.endsWith(".log")) {
            return -1;
        }
        try {
            return Long.parseLong(n.substring("journal-".length(), n.length() - ".log".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Appends one record and returns its framed size; the caller has checked the journal's bound. */
    long append(byte type, long record, byte[] payload) {
        ByteBuffer buf = frame(type, record, payload);
        int framed = buf.remaining();
        try {
            while (buf.hasRemaining()) {
                appender.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to journal file " + file + ": " + e.getMessage(), e);
        }
        size += framed;
        firstRecord = Math.min(firstRecord, record);
        lastRecord = Math.max(lastRecord, record);
        return framed;
    }

    /** The bytes a record of this payload takes in a file. */
    static long framedSize(int payloadLength) {
        return FRAME + HEAD + (long) payloadLength;
    }

    static ByteBuffer frame(byte type, long record, byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(FRAME + HEAD + payload.length);
        buf.putInt(HEAD + payload.length);
        buf.putInt(0); // the checksum, below
        buf.put(type).putLong(record).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), FRAME, HEAD + payload.length);
        buf.putInt(4, (int) crc.getValue());
        buf.flip();
        return buf;
    }

    /** Stops appending: forces what was written to the disk and closes the channel. */
    void seal() {
        if (appender == null) {
            return;
        }
        try {
            appender.force(false);
            appender.close();
        } catch (IOException e) {
            LOG.warn("journal: closing {} failed: {}", file, e.getMessage());
        }
        appender = null;
    }

    boolean sealed() {
        return appender == null;
    }

    /** Every valid record, in order. Call on a sealed file. */
    List<Entry> read() {
        List<Entry> out = new ArrayList<>();
        scan(out);
        return out;
    }

    /**
     * Reads the file's records into {@code out} (when given) up to the first torn one.
     *
     * @return the bytes of whole records
     */
    private long scan(List<Entry> out) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal file " + file + ": " + e.getMessage(), e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long first = Long.MAX_VALUE;
        long last = 0;
        while (buf.hasRemaining()) {
            int offset = buf.position();
            String torn = null;
            if (buf.remaining() < FRAME + HEAD) {
                torn = "a frame cut short (" + buf.remaining() + " bytes)";
            } else {
                int length = buf.getInt(offset);
                int stored = buf.getInt(offset + 4);
                if (length < HEAD || length > buf.remaining() - FRAME) {
                    torn = "a record cut short (length " + length + ", " + (buf.remaining() - FRAME) + " bytes left)";
                } else {
                    CRC32C crc = new CRC32C();
                    crc.update(bytes, offset + FRAME, length);
                    if ((int) crc.getValue() != stored) {
                        torn = "a checksum mismatch";
                    } else {
                        byte type = buf.get(offset + FRAME);
                        long record = buf.getLong(offset + FRAME + 1);
                        first = Math.min(first, record);
                        last = Math.max(last, record);
                        if (out != null) {
                            out.add(new Entry(type, record, ByteBuffer.wrap(bytes, offset + FRAME + HEAD,
                                    length - HEAD).slice()));
                        }
                        buf.position(offset + FRAME + length);
                        continue;
                    }
                }
            }
            if (out == null) { // once, when the file is first opened
                LOG.warn("journal: {} has a torn record at offset {} ({}, {} bytes to the end): a write cut off by"
                        + " a crash; skipped, the {} bytes before it are replayed", file, offset, torn,
                        bytes.length - offset, offset);
            }
            firstRecord = first;
            lastRecord = last;
            return offset;
        }
        firstRecord = first;
        lastRecord = last;
        return bytes.length;
    }

    /** Deletes the file; its contents are committed. */
    void delete() {
        seal();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete journal file " + file + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    long number() {
        return number;
    }

    /** Bytes of whole records. */
    long size() {
        return size;
    }

    /** The highest record number in the file; 0 when it holds none. */
    long lastRecord() {
        return lastRecord;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
