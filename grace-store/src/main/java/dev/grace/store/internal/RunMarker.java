package dev.grace.store.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * A node's run marker under the data directory ({@code <dataDir>/store-run-<hash of node id>}):
 * written when the store opens, moved forward as flushes succeed, deleted when the store closes
 * after a final flush that wrote everything. Finding one at start therefore means the previous run
 * of this node stopped without writing everything it held (kill -9, power loss, a close while the
 * database stayed down), and it says from when on its rollups may be short.
 *
 * <p>It lives in the data directory rather than the database because it belongs to one node: with
 * several runtimes on one PostgreSQL database each has its own data directory and node id, and each
 * marker names its node, so a start rebuilds only its own rows. The file is replaced atomically, so
 * a kill in the middle of a write leaves the previous content.
 */
final class RunMarker {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    /** How far before a flush a value it did not hold can lie: H2's own write delay, with margin. */
    static final long MARGIN_MILLIS = 60_000L;
    private static final long HOUR_MILLIS = 3_600_000L;

    /**
     * What a run that did not close left: its node, that every value with a time before
     * {@code storedBefore} had been written, and whether it kept raw events.
     */
    record Unclean(String node, long started, long storedBefore, boolean rawEvents) {
    }

    private final Path file;
    private final String node;
    private final long latenessMillis;
    private final boolean rawEvents;
    private long started;
    /** The storedBefore last written; only its hour matters, so the file is rewritten once an hour. */
    private long storedBefore = Long.MIN_VALUE;
    private boolean warned;
    /** The mark a failed rebuild left owed; Long.MAX_VALUE when none. */
    private long carry = Long.MAX_VALUE;

    RunMarker(Path dataDir, String node, long latenessMillis, boolean rawEvents) {
        this.file = dataDir.resolve("store-run-" + shortHash(node));
        this.node = node;
        this.latenessMillis = latenessMillis;
        this.rawEvents = rawEvents;
    }

    /** The marker a previous run of this node left, if it did not close cleanly. */
    Optional<Unclean> previous() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return Optional.of(new Unclean(p.getProperty("node", node), Long.parseLong(p.getProperty("started")),
                    Long.parseLong(p.getProperty("storedBefore")), Boolean.parseBoolean(p.getProperty("rawEvents"))));
        } catch (IOException | RuntimeException e) {
            // unreadable: treat as unclean from as far back as raw events reach
            LOG.warn("store: run marker {} is unreadable ({}); treating the previous run as stopped uncleanly", file,
                    e.toString());
            return Optional.of(new Unclean(node, Long.MIN_VALUE, Long.MIN_VALUE, true));
        }
    }

    /**
     * This run starts at {@code now}: values it accepts may lie as far back as the lateness limit, or
     * {@code carry} when a rebuild of the previous run's hours is still owed (else Long.MAX_VALUE).
     */
    void begin(long now, long carry) {
        started = now;
        this.carry = carry;
        write(Math.min(carry, now - latenessMillis - MARGIN_MILLIS));
    }

    /**
     * A flush that began at {@code flushStart} succeeded: every value accepted before it is written,
     * and later values lie at most the lateness limit before it.
     */
    void flushed(long flushStart) {
        long before = Math.min(carry, flushStart - latenessMillis - MARGIN_MILLIS);
        if (Math.floorDiv(before, HOUR_MILLIS) > Math.floorDiv(storedBefore, HOUR_MILLIS)) {
            write(before);
        }
    }

    /** The final flush wrote everything: the next start has nothing to rebuild. */
    void clean() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("store: cannot delete run marker {} ({}); the next start will compare its recent hours with"
                    + " the raw events", file, e.toString());
        }
    }

    private void write(long before) {
        String text = "node=" + escape(node) + "\nstarted=" + started + "\nstoredBefore=" + before
                + "\nrawEvents=" + rawEvents + "\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            storedBefore = before;
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                LOG.warn("store: cannot write run marker {} ({}); after a crash the next start may not rebuild"
                        + " the hours since the last flush", file, e.toString());
            }
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
