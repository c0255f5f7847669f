package dev.grace.store.internal;

import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.store.Period;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * Deletes raw events and rollups past their retention: hourly on the {@code grace-store-writer} thread
 * ({@link #purgeIfDue}), and on demand from any thread ({@link #purgeRetention}, the
 * {@code purgeRetention} maintenance action).
 */
final class RetentionPurge {

    /** StoreWriter's logger, so that a logging configuration written for the store writer keeps working. */
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final long RETENTION_EVERY_MILLIS = 3_600_000L;
    private static final int PURGE_BATCH = 10_000;

    private final Database db;
    private final String node;
    private final GraceConfig.Store config;
    /** False once the writer stops: a long raw-event purge then ends after its current batch. */
    private final BooleanSupplier running;
    private final MetricEventDao events = new MetricEventDao();
    private final RollupDao rollups;
    private final AuditLogDao audit = new AuditLogDao();
    /** Writer thread only. */
    private long lastRetentionMillis = Long.MIN_VALUE;

    RetentionPurge(Database db, String node, GraceConfig.Store config, BooleanSupplier running) {
        this.db = db;
        this.node = node;
        this.config = config;
        this.running = running;
        this.rollups = new RollupDao(db.vendor());
    }

    /** Purges when the last purge is an hour old or none happened yet; writer thread only. */
    void purgeIfDue(long now) {
        if (lastRetentionMillis != Long.MIN_VALUE && now - lastRetentionMillis < RETENTION_EVERY_MILLIS) {
            return;
        }
        lastRetentionMillis = now;
        purge(now);
    }

    /** Deletes raw events and rollups past their retention, in batches; audits what it deleted. */
    void purge(long now) {
        StoreWriter.Purged p = purgeRetention(now);
        if (p.any()) {
            LOG.info(p.detail());
            audit.append(db.jdbi(), now, node, "retention", p.detail());
        }
    }

    /**
     * Deletes raw events and rollups past their retention as of {@code now}, each batch in its own
     * transaction; audits nothing (callers do). Safe from any thread, while the writer thread purges
     * too: a delete of rows already deleted deletes nothing.
     *
     * @throws RuntimeException when the database fails; what was deleted so far stays deleted
     */
    StoreWriter.Purged purgeRetention(long now) {
        long before = now - config.rawRetention().toMillis();
        long rawDeleted = 0;
        int n;
        do {
            n = db.jdbi().inTransaction(h -> events.purgeBatch(h, before, PURGE_BATCH));
            rawDeleted += n;
        } while (n == PURGE_BATCH && running.getAsBoolean());
        int hours = db.jdbi().inTransaction(h -> rollups.purge(h, Period.HOUR, now - config.hourlyRetention().toMillis()));
        int days = db.jdbi().inTransaction(h -> rollups.purge(h, Period.DAY, now - config.dailyRetention().toMillis()));
        int weeks = db.jdbi().inTransaction(h -> rollups.purge(h, Period.WEEK, now - config.weeklyRetention().toMillis()));
        String detail = "purged " + rawDeleted + " raw events older than " + config.rawRetention() + ", " + hours
                + " hourly, " + days + " daily and " + weeks + " weekly rollups past retention";
        return new StoreWriter.Purged(rawDeleted, hours, days, weeks, detail);
    }
}
