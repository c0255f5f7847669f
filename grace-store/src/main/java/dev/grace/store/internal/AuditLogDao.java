package dev.grace.store.internal;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code audit_log}: append-only, hash-chained. Row {@code seq} holds the hash of row {@code seq-1}
 * and its own hash over that and its fields, so changing, removing or inserting a row breaks the
 * chain at that row. Several runtimes append to one database: each append reads the last row and
 * inserts {@code seq+1}; the primary key makes a concurrent append of the same seq fail, and it
 * retries on the new last row.
 */
public final class AuditLogDao {

    static final String GENESIS = "0".repeat(64);
    private static final int ATTEMPTS = 20;

    /** One row as stored. */
    record Entry(long seq, long occurredAt, String node, String kind, String detail, String prevHash, String hash) {
    }

    /** Appends one fact; returns its seq. */
    public long append(Jdbi jdbi, long occurredAt, String node, String kind, String detail) {
        return appendRetrying(jdbi, h -> true, occurredAt, node, kind, detail);
    }

    /**
     * Appends one fact in a transaction that first asks {@code first} whether to (the journal's replay
     * marks its record applied there and appends only when it was not, so that the fact is appended
     * exactly once); retried on the new last row when another node appended the same seq first.
     *
     * @return the fact's seq, or -1 when {@code first} said no
     */
    long appendRetrying(Jdbi jdbi, Predicate<Handle> first, long occurredAt, String node, String kind, String detail) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> first.test(h) ? append(h, occurredAt, node, kind, detail) : -1L);
            } catch (UnableToExecuteStatementException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                // another node appended the same seq first: read the new last row and try again
            }
        }
    }

    /** Appends one fact on the last row, in the caller's transaction; returns its seq. */
    private long append(Handle h, long occurredAt, String node, String kind, String detail) {
        String text = detail.length() > 2048 ? detail.substring(0, 2045) + "..." : detail;
        Optional<Entry> last = last(h);
        long seq = last.map(e -> e.seq() + 1).orElse(1L);
        String prev = last.map(Entry::hash).orElse(GENESIS);
        String hash = hash(seq, occurredAt, node, kind, text, prev);
        h.createUpdate("INSERT INTO audit_log (seq, occurred_at, node, kind, detail, prev_hash, hash)"
                        + " VALUES (:seq, :at, :node, :kind, :detail, :prev, :hash)")
                .bind("seq", seq).bind("at", occurredAt).bind("node", node).bind("kind", kind)
                .bind("detail", text).bind("prev", prev).bind("hash", hash).execute();
        return seq;
    }

    private static Optional<Entry> last(Handle h) {
        return h.createQuery("SELECT seq, occurred_at, node, kind, detail, prev_hash, hash FROM audit_log"
                        + " ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY")
                .map((rs, ctx) -> entry(rs)).findOne();
    }

    /** The details of every row of one kind, oldest first. */
    java.util.List<String> details(Handle h, String kind) {
        return h.createQuery("SELECT detail FROM audit_log WHERE kind = :kind ORDER BY seq").bind("kind", kind)
                .mapTo(String.class).list();
    }

    /**
     * Walks the chain from the first row.
     *
     * @return the first broken row and why, or empty when the whole chain holds; plus the row count
     */
    Verdict verify(Handle h) {
        long[] rows = {0};
        String[] broken = {null};
        String[] prev = {GENESIS};
        long[] expected = {1};
        h.createQuery("SELECT seq, occurred_at, node, kind, detail, prev_hash, hash FROM audit_log ORDER BY seq")
                .setFetchSize(1000)
                .map((rs, ctx) -> entry(rs))
                .useIterator(it -> {
                    while (it.hasNext() && broken[0] == null) {
                        Entry e = it.next();
                        rows[0]++;
                        if (e.seq() != expected[0]) {
                            broken[0] = "row " + expected[0] + " is missing (next row is " + e.seq() + ")";
                        } else if (!e.prevHash().equals(prev[0])) {
                            broken[0] = "row " + e.seq() + " does not hold the hash of row " + (e.seq() - 1);
                        } else if (!e.hash().equals(hash(e.seq(), e.occurredAt(), e.node(), e.kind(), e.detail(),
                                e.prevHash()))) {
                            broken[0] = "row " + e.seq() + " was changed (its hash does not match its fields)";
                        }
                        prev[0] = e.hash();
                        expected[0]++;
                    }
                });
        return new Verdict(rows[0], Optional.ofNullable(broken[0]));
    }

    /** The outcome of {@link #verify(Handle)}. */
    record Verdict(long rowsChecked, Optional<String> firstBroken) {
    }

    private static Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Entry(rs.getLong("seq"), rs.getLong("occurred_at"), rs.getString("node"), rs.getString("kind"),
                rs.getString("detail"), rs.getString("prev_hash"), rs.getString("hash"));
    }

    static String hash(long seq, long occurredAt, String node, String kind, String detail, String prevHash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String text = prevHash + '\n' + seq + '\n' + occurredAt + '\n' + node + '\n' + kind + '\n' + detail;
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
