package dev.grace.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.store.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The connection to the store's database: a HikariCP pool, Jdbi over it, and Flyway for the
 * schema. Opening checks everything a user can get wrong (the URL, the data directory, whether the
 * database answers) and fails with one line naming it.
 */
public final class Database implements AutoCloseable {

    /**
     * How long a connection attempt to a configured database (a server, which can go down) may take
     * before the writer backs off and retries (or, with the journal, journals the batch). 1 s, not
     * HikariCP's 30 s nor the 2 s of before issue 14: the first write after a quiet spell of an outage
     * waits this long before it fails, and the raw-event queue
     * must hold what arrives meanwhile; a healthy database hands out a connection in milliseconds.
     */
    static final long CONNECT_TIMEOUT_MILLIS = 1_000;
    /**
     * How long a connection to the default H2 file may wait for the file or the server another process
     * runs for it (a hand-over between processes), and the pool's wait for such a connection: kept at
     * 2 s, since the shorter wait is about an outage, which the embedded file does not have.
     */
    private static final long SHARED_FILE_WAIT_MILLIS = 2_000;
    /** The connection wait once the runtime closes: every attempt then counts against the close bound. */
    static final long CLOSING_CONNECT_TIMEOUT_MILLIS = 250;

    private volatile boolean lastAnswered = true;

    private final Vendor vendor;
    private final String displayUrl;
    /** What Jdbi and Flyway use: the current pool, which {@link #answersAgain()} may replace. */
    private final PoolSwitch dataSource;
    /** Set by close(), so that no fresh pool opens after it. */
    private boolean closed;
    /** The pool's settings, for a fresh pool after an outage. */
    private final HikariConfig poolConfig;
    /** The default H2 file, which this process may be serving to readers; null for a configured URL. */
    private final SharedH2File sharedFile;
    private final Jdbi jdbi;
    private final Flyway flyway;

    private Database(Vendor vendor, String displayUrl, HikariConfig poolConfig, SharedH2File sharedFile) {
        this.vendor = vendor;
        this.displayUrl = displayUrl;
        this.poolConfig = copy(poolConfig);
        this.dataSource = new PoolSwitch(new HikariDataSource(poolConfig));
        this.sharedFile = sharedFile;
        this.jdbi = Jdbi.create(dataSource);
        this.flyway = Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .loggers("slf4j")
                .load();
    }

    /**
     * Connects to the configured database: the H2 file {@code <dataDir>/store/grace} when no URL is
     * set, else the URL's PostgreSQL or H2 database. Does not touch the schema.
     *
     * @throws StoreException for a malformed URL, a data directory that cannot be written, or a
     *                        database that does not answer
     */
    public static Database connect(GraceConfig config) {
        GraceConfig.Store store = config.store();
        String url = store.url();
        Vendor vendor;
        SharedH2File sharedFile = null;
        if (url == null) {
            Path dir = config.dataDir().toAbsolutePath().normalize().resolve("store");
            requireWritable(config.dataDir(), dir);
            // Shared like AUTO_SERVER shares a file, so that `grace rollups` reads while `grace run` holds it.
            sharedFile = new SharedH2File(dir.resolve("grace"), SHARED_FILE_WAIT_MILLIS);
            url = sharedFile.url();
            vendor = Vendor.H2;
        } else if (url.startsWith("jdbc:postgresql:")) {
            boolean accepted;
            try {
                accepted = postgresDriver(url).acceptsURL(url);
            } catch (java.sql.SQLException e) {
                accepted = false;
            }
            if (!accepted) {
                throw malformed(url);
            }
            vendor = Vendor.POSTGRESQL;
        } else if (url.startsWith("jdbc:h2:") && url.length() > "jdbc:h2:".length()) {
            vendor = Vendor.H2;
        } else {
            throw malformed(url);
        }
        String display = displayUrl(url);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("grace-store");
        if (sharedFile != null) {
            hikari.setDataSource(sharedFile);
        } else {
            hikari.setJdbcUrl(vendor == Vendor.H2 ? withoutH2ShutdownHook(url) : url);
            hikari.setDriverClassName(vendor == Vendor.H2 ? "org.h2.Driver" : "org.postgresql.Driver");
        }
        hikari.setUsername(store.user());
        hikari.setPassword(store.password());
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        // the embedded file has no outage to fail fast on, only a hand-over to wait for
        hikari.setConnectionTimeout(sharedFile != null ? SHARED_FILE_WAIT_MILLIS : CONNECT_TIMEOUT_MILLIS);
        hikari.setValidationTimeout(1_000);
        hikari.setInitializationFailTimeout(1);
        if (vendor == Vendor.POSTGRESQL) {
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true"); // one multi-row INSERT per batch
        }
        try {
            return new Database(vendor, display, hikari, sharedFile);
        } catch (RuntimeException e) {
            if (sharedFile != null) {
                sharedFile.close();
            }
            throw StoreException.unreachable("cannot connect to the store database " + display + ": " + rootMessage(e)
                    + (vendor == Vendor.POSTGRESQL ? " (is PostgreSQL running there, and are store.user/store.password right?)" : ""), e);
        }
    }

    /**
     * H2 closes every open database from a JVM shutdown hook of its own, which on {@code System.exit}
     * (from the host, or from a plugin) runs beside the runtime's own close and pulls the store from
     * under its final flush. Without it the runtime closes the store itself, in order: plugins,
     * hours, raw events, final flush, then the pool (the last connection closing closes the file).
     * H2 refuses {@code AUTO_SERVER=TRUE} with {@code DB_CLOSE_ON_EXIT=FALSE}; a configured URL with
     * it keeps H2's hook. The default file does without {@code AUTO_SERVER} ({@link SharedH2File}).
     */
    static String withoutH2ShutdownHook(String url) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        return upper.contains(";DB_CLOSE_ON_EXIT=") || upper.contains(";AUTO_SERVER=TRUE") ? url
                : url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private static void requireWritable(Path configured, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new StoreException("dataDir " + configured + " is not writable (cannot create " + dir + ": "
                    + rootMessage(e) + "); set dataDir to a writable directory or store.url to a database");
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException("dataDir " + configured + " is not writable (" + dir
                    + "); set dataDir to a writable directory or store.url to a database");
        }
    }

    /**
     * PostgreSQL's driver, which only hosts that use PostgreSQL put on the classpath (grace-store
     * declares it optional); its absence is said plainly rather than as "no suitable driver".
     */
    private static java.sql.Driver postgresDriver(String url) {
        try {
            return (java.sql.Driver) Class.forName("org.postgresql.Driver", true, Database.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new StoreException("store.url \"" + displayUrl(url) + "\" is a PostgreSQL URL but PostgreSQL's JDBC"
                    + " driver is not on the classpath: add org.postgresql:postgresql (the Grace BOM manages its version)");
        } catch (ReflectiveOperationException e) {
            throw new StoreException("PostgreSQL's JDBC driver cannot be loaded: " + e, e);
        }
    }

    private static StoreException malformed(String url) {
        return new StoreException("store.url must be jdbc:postgresql://HOST[:PORT]/DATABASE or a jdbc:h2: URL, got \""
                + displayUrl(url) + "\"");
    }

    /** The URL without its query string, which may carry a password. */
    static String displayUrl(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /**
     * Whether the database refused the data itself, so that sending the same rows again can only
     * fail again: SQLSTATE class 22 (data exception: a value too long, a character the encoding
     * cannot hold, a number out of range) or 23 (integrity constraint violation), on H2 and
     * PostgreSQL alike. Anything else (a connection lost, a timeout, a full disk) may pass.
     */
    static boolean refusesData(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    String state = s.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    public Vendor vendor() {
        return vendor;
    }

    /** The URL without credentials. */
    public String url() {
        return displayUrl;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Brings the schema up to this build's version.
     *
     * @return the migrations applied, as "version description", empty when the schema was current
     * @throws StoreException when the database holds a schema newer than this build
     */
    public List<String> migrate() {
        requireNotNewer();
        MigrateResult result = flyway.migrate();
        return result.migrations.stream().map(m -> m.version + " " + m.description).toList();
    }

    /**
     * Fails unless the schema is exactly this build's: for readers, which do not migrate.
     *
     * @throws StoreException naming the versions and what to do
     */
    public void requireCurrent() {
        requireNotNewer();
        MigrationInfo[] pending = flyway.info().pending();
        if (pending.length > 0) {
            throw new StoreException("the store database " + displayUrl + " is at schema version "
                    + version(flyway.info()) + ", this build needs " + pending[pending.length - 1].getVersion()
                    + "; run 'grace db migrate' (or start the runtime, which migrates)");
        }
    }

    private void requireNotNewer() {
        MigrationInfoService info = flyway.info();
        boolean future = Arrays.stream(info.applied()).anyMatch(m -> m.getState().name().startsWith("FUTURE"));
        if (future) {
            MigrationInfo[] all = info.all();
            String known = Arrays.stream(all).filter(m -> !m.getState().name().startsWith("FUTURE"))
                    .reduce((a, b) -> b).map(m -> String.valueOf(m.getVersion())).orElse("none");
            throw new StoreException("the store database " + displayUrl + " has schema version " + version(info)
                    + ", newer than this build's " + known + "; upgrade Grace, or point store.url at another database");
        }
    }

    private static String version(MigrationInfoService info) {
        MigrationInfo current = info.current();
        return current == null ? "none" : String.valueOf(current.getVersion());
    }

    /** Schema versions: what the database has, and every migration this build knows with its state. */
    public SchemaInfo schemaInfo() {
        MigrationInfoService info = flyway.info();
        List<String> lines = Arrays.stream(info.all())
                .map(m -> m.getVersion() + " " + m.getDescription() + " " + m.getState().getDisplayName()
                        + (m.getInstalledOn() == null ? "" : " " + m.getInstalledOn().toInstant()))
                .toList();
        return new SchemaInfo(version(info), info.pending().length, lines);
    }

    /** What {@link #schemaInfo()} reports. */
    public record SchemaInfo(String version, int pending, List<String> migrations) {
    }

    /** Whether the database answers now; what {@link #lastAnswered()} then reports. */
    public boolean reachable() {
        try (var c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                lastAnswered = true;
                return true;
            }
        } catch (SQLException e) {
            // reported as unreachable below
        }
        lastAnswered = false;
        evictConnections(); // a connection broken by a restart must not answer the next check too
        return false;
    }

    /**
     * For the recovery probe: whether the database answers a connection of its own, made past the pool
     * (a configured URL; the default H2 file is in this process and asks the pool). When it answers
     * and the pool holds no connection, the pool is replaced by a fresh one: HikariCP's connection
     * adder backs off up to 5 s between attempts during an outage, which would hold up every writer
     * that long after the database is back; a fresh pool connects at once.
     */
    boolean answersAgain() {
        if (sharedFile != null) {
            return reachable();
        }
        java.util.Properties props = new java.util.Properties();
        if (poolConfig.getUsername() != null) {
            props.setProperty("user", poolConfig.getUsername());
        }
        if (poolConfig.getPassword() != null) {
            props.setProperty("password", poolConfig.getPassword());
        }
        if (vendor == Vendor.POSTGRESQL) {
            props.setProperty("connectTimeout", "1");
            props.setProperty("socketTimeout", "2");
        }
        try {
            java.sql.Driver driver = vendor == Vendor.POSTGRESQL ? postgresDriver(poolConfig.getJdbcUrl())
                    : new org.h2.Driver();
            try (java.sql.Connection c = driver.connect(poolConfig.getJdbcUrl(), props)) {
                if (c == null || !c.isValid(1)) {
                    return false;
                }
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
        lastAnswered = true;
        var pool = dataSource.current().getHikariPoolMXBean();
        if (pool != null && pool.getTotalConnections() == 0) {
            renewPool();
        }
        return true;
    }

    /**
     * From now on a connection to a configured database is waited for {@link #CLOSING_CONNECT_TIMEOUT_MILLIS}
     * at most: at a stop every attempt on a database that is down counts against the close bound.
     */
    void closing() {
        if (sharedFile == null) { // the embedded file: a hand-over may need the pool's whole wait
            dataSource.connectionWait = CLOSING_CONNECT_TIMEOUT_MILLIS;
        }
    }

    /** Swaps in a fresh pool; the old one closes on a thread of its own (it waits for connections in use). */
    private synchronized void renewPool() {
        if (closed) {
            return;
        }
        HikariDataSource fresh;
        try {
            fresh = new HikariDataSource(copy(poolConfig));
        } catch (RuntimeException e) {
            return; // the database went away again: the old pool keeps trying
        }
        HikariDataSource old = dataSource.swap(fresh);
        Thread closer = new Thread(old::close, "grace-store-pool-closer");
        closer.setDaemon(true);
        closer.start();
    }

    private static HikariConfig copy(HikariConfig config) {
        HikariConfig c = new HikariConfig();
        config.copyStateTo(c);
        return c;
    }

    /** The pool Jdbi and Flyway see, whichever HikariCP pool is current. */
    private static final class PoolSwitch implements javax.sql.DataSource {
        private volatile HikariDataSource pool;
        /** A connection wait shorter than the pool's own (HikariCP reads its setting once); 0 for the pool's. */
        volatile long connectionWait;

        PoolSwitch(HikariDataSource pool) {
            this.pool = pool;
        }

        HikariDataSource current() {
            return pool;
        }

        HikariDataSource swap(HikariDataSource fresh) {
            HikariDataSource old = pool;
            pool = fresh;
            return old;
        }

        @Override
        public java.sql.Connection getConnection() throws SQLException {
            HikariDataSource p = pool;
            long wait = connectionWait;
            if (wait > 0 && p.getHikariPoolMXBean() instanceof HikariPool hikari) {
                return hikari.getConnection(wait);
            }
            return p.getConnection();
        }

        @Override
        public java.sql.Connection getConnection(String username, String password) throws SQLException {
            return pool.getConnection(username, password);
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getLogger("com.zaxxer.hikari");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(pool) || pool.isWrapperFor(iface);
        }
    }

    /** What the latest {@link #reachable()} check found, from memory; true before the first. */
    public boolean lastAnswered() {
        return lastAnswered;
    }

    /**
     * Replaces every pooled connection: after a failure, so that connections broken by a database
     * restart are not handed out again (H2 reports them with states Hikari does not recognise).
     */
    public void evictConnections() {
        var pool = dataSource.current().getHikariPoolMXBean();
        if (pool != null) {
            pool.softEvictConnections();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        dataSource.current().close();
        if (sharedFile != null) {
            sharedFile.close(); // after the pool, so that the file closes with the last connection
        }
    }
}
