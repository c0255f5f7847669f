package dev.grace.runtime.store;

import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.internal.store.AuditLogDao;
import dev.grace.runtime.internal.store.Database;
import dev.grace.runtime.internal.store.NodeIds;
import dev.grace.runtime.internal.store.StoreReader;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The store opened on its own, without a runtime: what {@code grace rollups}, {@code grace verify},
 * {@code grace backup}, {@code grace db} and {@code grace audit} use. Readers need the schema to be
 * this build's; {@link #migrate()} brings it there.
 *
 * <pre>{@code
 * try (GraceStore store = GraceStore.open(config)) {
 *     List<PeriodRollup> days = store.rollups("example", "files", Period.DAY, Instant.now().minus(Duration.ofDays(7)));
 * }
 * }</pre>
 */
public final class GraceStore implements RollupQuery, AutoCloseable {

    private final GraceConfig config;
    private final Database db;
    private final StoreReader reader;
    private final String node;
    private final Clock clock;
    /** Whether the schema has been found current: checked once, since Flyway's check costs milliseconds. */
    private volatile boolean current;
    private dev.grace.runtime.internal.cognition.CognitionEngine cognition;

    private GraceStore(GraceConfig config, Database db, Clock clock) {
        this.config = config;
        this.db = db;
        this.reader = new StoreReader(db);
        this.node = NodeIds.resolve(config.nodeId(), config.dataDir());
        this.clock = clock;
    }

    /**
     * Connects to the configured database. Nothing is written.
     *
     * @throws StoreException for a malformed URL, an unwritable data directory, an unreachable database
     */
    public static GraceStore open(GraceConfig config) {
        return open(config, Clock.systemUTC());
    }

    /**
     * Connects to the configured database, reading time from {@code clock}: the raw-event retention
     * that bounds {@link #verify()}, the "now" of cognition and the audit log's timestamps. A runtime
     * built with a clock of its own (a test's, say) is read with the same clock.
     *
     * @throws StoreException for a malformed URL, an unwritable data directory, an unreachable database
     */
    public static GraceStore open(GraceConfig config, Clock clock) {
        return new GraceStore(config, Database.connect(config), clock);
    }

    /** This configuration's node id. */
    public String node() {
        return node;
    }

    @Override
    public List<PeriodRollup> rollups(String domain, String kpi, Period period, Instant since) {
        requireCurrent();
        return reader.rollups(domain, kpi, period, since);
    }

    /** Recomputes every hourly rollup still covered by raw events and compares it with the stored one. */
    public VerifyReport verify() {
        requireCurrent();
        return reader.verify(clock.millis() - config.store().rawRetention().toMillis());
    }

    /** Walks the audit log's hash chain. */
    public AuditVerdict verifyAudit() {
        requireCurrent();
        return reader.verifyAudit();
    }

    /**
     * Cognition over this store alone, as a runtime would see it: scores, readiness, history,
     * alerts (from {@code <dataDir>/alerts.jsonl}) and evaluation of due hours, for example by
     * {@code grace benchmark run}. Alerts it raises go to the log and the alerts file (and the
     * webhook, when configured).
     */
    public synchronized dev.grace.runtime.cognition.Cognition cognition() {
        requireCurrent();
        if (cognition == null) {
            cognition = new dev.grace.runtime.internal.cognition.CognitionEngine(db, node, clock, config.cognition(),
                    config.dataDir(), () -> { }, List.of());
        }
        return cognition;
    }

    /** A consistent online backup of the H2 database into a new zip file. */
    public Path backup(Path file) {
        requireCurrent();
        Path written = reader.backup(file);
        new AuditLogDao().append(db.jdbi(), clock.millis(), node, "backup", "backup written to " + written);
        return written;
    }

    /**
     * Brings the schema to this build's version, and records that in the audit log.
     *
     * @return the migrations applied, empty when the schema was current
     */
    public List<String> migrate() {
        List<String> applied = db.migrate();
        if (!applied.isEmpty()) {
            new AuditLogDao().append(db.jdbi(), clock.millis(), node, "migration", "applied " + String.join(", ", applied));
        }
        return applied;
    }

    /** The database, its schema version and migrations. */
    public DbInfo info() {
        Database.SchemaInfo s = db.schemaInfo();
        return new DbInfo(db.vendor().name(), db.url(), node, s.version(), s.pending(), s.migrations());
    }

    private void requireCurrent() {
        if (!current) {
            db.requireCurrent();
            current = true;
        }
    }

    @Override
    public synchronized void close() {
        if (cognition != null) {
            cognition.close();
        }
        db.close();
    }
}
