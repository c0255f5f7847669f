package dev.grace.store;

import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import dev.grace.runtime.store.RollupQuery;
import dev.grace.store.internal.AuditLogDao;
import dev.grace.store.internal.Database;
import dev.grace.store.internal.NodeIds;
import dev.grace.store.internal.StoreReader;
import dev.grace.store.internal.StoreWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    private static final Logger LOG = LoggerFactory.getLogger(GraceStore.class);

    private final GraceConfig config;
    private final Database db;
    private final StoreReader reader;
    private final String node;
    private final Clock clock;
    /** Whether the schema has been found current: checked once, since Flyway's check costs milliseconds. */
    private volatile boolean current;
    private final List<AutoCloseable> attached = new ArrayList<>();

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

    @Override
    public List<PeriodRollup> rollupsBy(String domain, String kpi, String key, Period period, Instant since) {
        requireCurrent();
        return reader.rollupsBy(domain, kpi, key, period, since);
    }

    /**
     * The attribute keys one KPI's stored series carry (of any node and period), sorted, then
     * {@code _overflow} when its overflow series is stored; empty when only its totals are stored.
     */
    public List<String> seriesKeys(String domain, String kpi) {
        requireCurrent();
        return reader.seriesKeys(domain, kpi);
    }

    /**
     * The KPIs the store knows, by domain (both sorted): those with stored rollups of any node, and those
     * the KPI catalogue lists.
     */
    public Map<String, List<String>> kpis() {
        requireCurrent();
        return reader.kpis();
    }

    /** Recomputes every hourly rollup still covered by raw events and compares it with the stored one. */
    public VerifyReport verify() {
        requireCurrent();
        return reader.verify(clock.millis() - config.store().rawRetention().toMillis());
    }

    /**
     * What this data directory's journal holds that the database does not have yet ({@link #rollups} and
     * {@link #verify()} leave it out until a runtime writes it); nothing when there is no journal.
     */
    public JournalBacklog journalBacklog() {
        requireCurrent();
        return reader.journalBacklog(StoreWriter.journalDir(config), node);
    }

    /** Walks the audit log's hash chain. */
    public AuditVerdict verifyAudit() {
        requireCurrent();
        return reader.verifyAudit();
    }

    /**
     * The open database, for the modules that build on the store (cognition over a store alone, for
     * example {@code grace benchmark run}); not for hosts.
     */
    public Database database() {
        requireCurrent();
        return db;
    }

    /** The configuration this store was opened with. */
    public GraceConfig config() {
        return config;
    }

    /** The clock this store reads. */
    public Clock clock() {
        return clock;
    }

    /** Closes {@code resource} when this store closes, before the database: what was built on it. */
    public synchronized void closeWith(AutoCloseable resource) {
        attached.add(resource);
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
        for (int i = attached.size() - 1; i >= 0; i--) {
            try {
                attached.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", attached.get(i), e.toString());
            }
        }
        attached.clear();
        db.close();
    }
}
