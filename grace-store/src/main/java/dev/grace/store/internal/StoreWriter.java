package dev.grace.store.internal;

import dev.grace.api.Backoff;
import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.RawEvent;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.extension.HourStates;
import dev.grace.runtime.RawEventsLost;
import dev.grace.runtime.internal.LogText;
import dev.grace.runtime.store.Period;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes one runtime's data into the store: raw events as they come (it is the runtime's
 * {@link RawEventSink}), and on the {@code grace-store-writer} thread, every flush interval, every
 * hour changed since the last flush, with the day and week that contain it.
 *
 * <p><b>Whole state, own rows.</b> An hourly row holds the hour's whole state for this node, so
 * writing it twice is harmless, and no other node ever writes it. A restarted node continues its
 * rows: the first time this incarnation writes an hour, it reads the row a previous incarnation left
 * (its <i>base</i>) and from then on writes base ⊕ what this incarnation accepted. Days and weeks are
 * merged from this node's stored hours and days in the same transaction, so a late event that
 * changes an old hour corrects its day and week too.
 *
 * <p><b>Database down.</b> Failed writes are retried with exponential backoff and jitter; plugins
 * never wait. Changed hours stay in memory until written, at most {@code maxUnsentHours} distinct
 * hours: beyond that the oldest is dropped and counted. Raw-event batches are retried on the
 * raw-event thread; while they wait, the runtime's raw-event queue fills and further raw events are
 * dropped and counted by the runtime. Each batch carries this node's next sequence, stored in its
 * transaction ({@code raw_event_batches}), so that retrying a batch whose commit happened but was
 * reported as failed stores nothing twice.
 */
public final class StoreWriter implements RawEventSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    /** Between failed writes: 100 ms doubling to 30 s, jittered so runtimes sharing a database spread out. */
    static final Backoff BACKOFF = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30));
    /** How long a database that stays down may hold up {@link #close()}. */
    private static final long CLOSE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long RETENTION_EVERY_MILLIS = 3_600_000L;
    private static final int PURGE_BATCH = 10_000;

    private final Database db;
    private final String node;
    private final GraceConfig.Store config;
    private final HourStates registry;
    private final Clock clock;
    private final MetricEventDao events = new MetricEventDao();
    private final RawEventBatchDao batches = new RawEventBatchDao();
    /** This node's last stored raw-event batch; -1 until read. Only the raw-event thread uses it. */
    private long lastBatch = -1;
    private final AtomicLong committedBeforeFailure = new AtomicLong();
    private final RollupDao rollups;
    private final AuditLogDao audit = new AuditLogDao();
    private final Thread thread;
    private final ConcurrentLinkedQueue<String[]> auditQueue = new ConcurrentLinkedQueue<>();

    // Written by the writer thread, then (after it stopped) by close().
    private final Map<String, Long> known = new HashMap<>();
    private final Map<String, HourlyRollup> pending = new LinkedHashMap<>();
    private final Map<String, Optional<HourlyRollup>> bases = new HashMap<>();
    private long lastRetentionMillis = Long.MIN_VALUE;

    private volatile boolean running = true;
    private final CatalogDao catalogDao;
    /** Declared KPIs waiting to be written to the catalog by the writer thread. */
    private final java.util.concurrent.atomic.AtomicReference<List<CatalogDao.CatalogKpi>>
            catalog = new java.util.concurrent.atomic.AtomicReference<>();
    /** Values rejected so far, per domain; read at each flush. */
    private volatile java.util.function.Supplier<Map<String, Long>> rejectedByDomain = Map::of;
    /** Rejections already written, per domain. */
    private final Map<String, Long> rejectionsWritten = new HashMap<>();
    /** Waiters of {@link #flushNow}, completed after the next flush. */
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Void>> flushWaiters =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile long closeDeadline = Long.MAX_VALUE;
    private final AtomicLong droppedHours = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private static final long NOT_STUCK = Long.MIN_VALUE;
    /** When the raw-event batch being retried first failed; NOT_STUCK otherwise. Written by the raw-event thread. */
    private volatile long rawStuckSince = NOT_STUCK;
    /** When the rollup flush being retried first failed; NOT_STUCK otherwise. Written by the writer thread. */
    private volatile long rollupStuckSince = NOT_STUCK;
    private final AtomicLong rawRefused = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> rawRefusedByPlugin = new ConcurrentHashMap<>();
    /** The minute of the last refusal warning; raw-event thread only. */
    private long lastRefusalLogged = Long.MIN_VALUE;
    private final dev.grace.runtime.extension.CommitLatency persistLatency =
            new dev.grace.runtime.extension.CommitLatency();

    public StoreWriter(Database db, String node, GraceConfig.Store config, HourStates registry, Clock clock) {
        this.db = db;
        this.node = node;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.rollups = new RollupDao(db.vendor());
        this.catalogDao = new CatalogDao(db.vendor());
        this.thread = new Thread(this::run, "grace-store-writer");
        this.thread.setDaemon(true);
    }

    /**
     * Connects, migrates the schema (audited) and starts writing.
     *
     * @throws dev.grace.store.StoreException when the store cannot be used as configured;
     *         nothing has been written then
     */
    public static StoreWriter open(GraceConfig config, HourStates registry, Clock clock) {
        Database db = Database.connect(config);
        try {
            List<String> applied = db.migrate();
            StoreWriter writer = new StoreWriter(db, NodeIds.resolve(config.nodeId(), config.dataDir()), config.store(),
                    registry, clock);
            if (!applied.isEmpty()) {
                writer.audit("migration", "applied " + String.join(", ", applied));
            }
            writer.audit("runtime-started", "node " + writer.node + " started");
            writer.start();
            LOG.info("store: {} as node {}", db.url(), writer.node);
            return writer;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Audits each plugin's state after start: started, failed or refused, with the cause. */
    public void auditPlugins(List<dev.grace.runtime.PluginStatus> plugins) {
        for (dev.grace.runtime.PluginStatus p : plugins) {
            String kind = switch (p.state()) {
                case RUNNING -> "plugin-started";
                case FAILED -> "plugin-failed";
                default -> "plugin-" + p.state().name().toLowerCase(java.util.Locale.ROOT);
            };
            audit(kind, p.id() + (p.cause() == null ? "" : ": " + p.cause()));
        }
    }

    /** The stored rollups, merged across nodes. */
    public StoreReader reader() {
        return new StoreReader(db);
    }

    public String node() {
        return node;
    }

    public Database database() {
        return db;
    }

    public void start() {
        thread.start();
    }

    /** Records a lifecycle fact in the audit log; written by the writer thread, in order. */
    public void audit(String kind, String detail) {
        auditQueue.add(new String[] {String.valueOf(clock.millis()), kind, detail});
    }

    /** Hours of rollup state dropped because more than {@code maxUnsentHours} were waiting. */
    public long droppedHours() {
        return droppedHours.get();
    }

    /** Flushes that wrote something. */
    public long flushes() {
        return flushes.get();
    }

    /** Publish-to-commit latency totals of the raw events written. */
    public dev.grace.runtime.extension.CommitLatency persistLatency() {
        return persistLatency;
    }

    /** Writes that failed and were retried. */
    public long failedWrites() {
        return failedWrites.get();
    }

    // --- raw events -------------------------------------------------------------------------------

    /**
     * Writes a batch of raw events. A failure of the database is retried with backoff, on this (the
     * raw-event) thread, until the rows are written or {@link #closing()} gives up. Rows the database
     * refuses for what they hold ({@link Database#refusesData}: too long, a bad character) are split
     * off by halving the failed part until each refused row stands alone; those are counted
     * ({@link #rawEventsRefused()}) and dropped, and every other row is written.
     *
     * <p>No row is written twice. Each part is committed in one transaction together with this node's
     * next batch sequence ({@code raw_event_batches}); a retry of a part whose commit was reported as
     * failed though it happened (H2 closing under the runtime does that) finds its sequence stored and
     * writes nothing.
     */
    @Override
    public void accept(List<RawEvent> batch) throws Exception {
        ArrayDeque<List<RawEvent>> parts = new ArrayDeque<>();
        parts.add(batch);
        int attempt = 0;
        long seq = 0;          // the sequence of the part at the head of the queue, 0 until chosen
        boolean sent = false;  // whether a transaction with that sequence was sent (and may have committed)
        while (!parts.isEmpty()) {
            List<RawEvent> part = parts.peekFirst();
            try {
                if (lastBatch < 0) {
                    lastBatch = db.jdbi().inTransaction(h -> batches.lastOrCreate(h, node));
                }
                if (seq == 0) {
                    seq = lastBatch + 1;
                }
                long s = seq;
                boolean retry = sent;
                sent = true;
                boolean written = db.jdbi().inTransaction(h -> {
                    if (!batches.advance(h, node, s)) {
                        return false;
                    }
                    events.insert(h, node, part);
                    return true;
                });
                if (!written && !retry) {
                    // Not a retry: a later sequence was stored by someone else writing raw events as this node.
                    long theirs = db.jdbi().withHandle(h -> batches.last(h, node)).orElse(0L);
                    LOG.error("raw events: node {} has batch {} stored, ahead of this runtime's {}: does another"
                            + " runtime run with node id {}? Continuing after it", node, theirs, s, node);
                    lastBatch = theirs;
                    seq = 0;
                    sent = false;
                    continue;
                }
                lastBatch = s;
                seq = 0;
                sent = false;
                parts.pollFirst();
                attempt = 0;
                rawStuckSince = NOT_STUCK;
                if (!written) {
                    committedBeforeFailure.incrementAndGet();
                    LOG.info("{} raw events were stored by an attempt reported as failed; not written again",
                            part.size());
                }
                long committed = clock.millis();
                long latency = 0;
                for (RawEvent e : part) {
                    latency += Math.max(0, committed - e.epochMillis());
                }
                persistLatency.add(part.size(), latency);
            } catch (RuntimeException e) {
                if (Database.refusesData(e)) {
                    // the transaction rolled back, its sequence with it: the halves reuse it
                    sent = false;
                    parts.pollFirst();
                    if (part.size() == 1) {
                        refuse(part.get(0), e);
                    } else {
                        int half = part.size() / 2;
                        parts.addFirst(part.subList(half, part.size()));
                        parts.addFirst(part.subList(0, half));
                    }
                    continue;
                }
                failedWrites.incrementAndGet();
                db.evictConnections();
                if (rawStuckSince == NOT_STUCK) {
                    rawStuckSince = clock.millis();
                }
                if (System.nanoTime() - closeDeadline > 0) {
                    // closing and the database stays down: the runtime counts what is left as lost
                    List<RawEvent> lost = new ArrayList<>();
                    parts.forEach(lost::addAll);
                    throw new RawEventsLost(lost.size() + " raw events not written: " + Database.rootMessage(e), lost, e);
                }
                if (++attempt == 1) {
                    LOG.warn("writing {} raw events failed, retrying with backoff: {}", part.size(),
                            LogText.escape(Database.rootMessage(e)));
                }
                LockSupport.parkNanos(backoffNanos(attempt));
            }
        }
    }

    /** A raw event the database will never take: counted for its plugin and logged, at most once a minute. */
    private void refuse(RawEvent event, RuntimeException cause) {
        rawRefusedByPlugin.computeIfAbsent(event.pluginId(), id -> new LongAdder()).increment();
        long total = rawRefused.incrementAndGet();
        long minute = Math.floorDiv(clock.millis(), 60_000L);
        long last = lastRefusalLogged;
        if (minute != last) {
            lastRefusalLogged = minute;
            LOG.warn("the store refused a raw event of plugin {} (kpi {}, {} refused so far; the value stays in the"
                            + " rollups, the rows around it are written): {}", LogText.escape(event.pluginId()),
                    LogText.escape(event.kpi()), total, LogText.escape(Database.rootMessage(cause)));
        }
    }

    /** Raw events the database refused for what they hold, in total; each was dropped, the rest written. */
    public long rawEventsRefused() {
        return rawRefused.get();
    }

    /** Raw events the database refused for what they hold, per plugin id. */
    public Map<String, Long> rawEventsRefusedByPlugin() {
        Map<String, Long> out = new HashMap<>();
        rawRefusedByPlugin.forEach((id, n) -> out.put(id, n.sum()));
        return Map.copyOf(out);
    }

    /**
     * Since when the writer has been failing to write, by the runtime's clock: the first failure of
     * the raw-event batch or of the rollup flush it is still retrying; empty while writes succeed.
     */
    public Optional<java.time.Instant> stuckSince() {
        long raw = rawStuckSince;
        long rollup = rollupStuckSince;
        long since = raw == NOT_STUCK ? rollup : rollup == NOT_STUCK ? raw : Math.min(raw, rollup);
        return since == NOT_STUCK ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(since));
    }

    /** Raw-event batches a retry found already stored: their first attempt committed, then reported a failure. */
    public long committedBeforeFailure() {
        return committedBeforeFailure.get();
    }

    // --- rollups ----------------------------------------------------------------------------------

    private void run() {
        try {
            purgeIfDue(); // at start, so a runtime that was down a while catches up on retention first
        } catch (RuntimeException e) {
            LOG.warn("retention purge failed; retrying at the next flush: {}", Database.rootMessage(e));
        }
        long interval = config.flushInterval().toNanos();
        long next = System.nanoTime() + interval;
        int failures = 0;
        while (running) {
            java.util.concurrent.CompletableFuture<Void> asked = flushWaiters.getAndSet(null);
            long wait = next - System.nanoTime();
            if (wait > 0 && asked == null) {
                LockSupport.parkNanos(wait);
                continue;
            }
            try {
                flush();
                if (asked != null) {
                    asked.complete(null);
                }
                purgeIfDue();
                if (failures > 0) {
                    LOG.info("store database reachable again after {} failed attempts; everything held is written",
                            failures);
                }
                failures = 0;
                rollupStuckSince = NOT_STUCK;
                next = System.nanoTime() + interval;
            } catch (RuntimeException e) {
                if (asked != null) {
                    asked.completeExceptionally(e);
                }
                failures++;
                failedWrites.incrementAndGet();
                if (rollupStuckSince == NOT_STUCK) {
                    rollupStuckSince = clock.millis();
                }
                if (failures == 1 || failures % 10 == 0) {
                    LOG.warn("writing rollups failed ({} attempts so far, {} hours held), retrying with backoff: {}",
                            failures, pendingHours(), Database.rootMessage(e));
                }
                next = System.nanoTime() + Math.max(interval, backoffNanos(failures));
            }
        }
    }

    /**
     * The jittered wait of {@link #BACKOFF}. The randomness only spreads the retries of runtimes that
     * share a database that went down; no value the runtime stores or scores uses it.
     */
    static long backoffNanos(int attempt) {
        return BACKOFF.delay(attempt).toNanos();
    }

    /**
     * Takes every hour changed since the last look, then writes everything held: hours, their days
     * and weeks, and queued audit facts.
     *
     * @throws RuntimeException when the database fails; what was held stays held
     */
    void flush() {
        collect();
        try {
            writeAudit();
            writeCatalogAndRejections();
        } catch (RuntimeException e) {
            db.evictConnections();
            throw e;
        }
        if (pending.isEmpty()) {
            return;
        }
        List<HourlyRollup> held = new ArrayList<>(pending.values());
        long now = clock.millis();
        try {
            write(held, now);
        } catch (RuntimeException e) {
            db.evictConnections();
            throw e;
        }
        pending.clear();
        // Bases matter only for hours this incarnation may still write: those held in memory.
        bases.keySet().retainAll(known.keySet());
        flushes.incrementAndGet();
    }

    /** One transaction: the hours' rows (base ⊕ state), then their days and weeks merged from stored rows. */
    private void write(List<HourlyRollup> held, long now) {
        db.jdbi().useTransaction(h -> {
            List<HourlyRollup> rows = new ArrayList<>(held.size());
            for (HourlyRollup r : held) {
                String key = key(r.domain(), r.kpi(), r.hourStart().toEpochMilli());
                Optional<HourlyRollup> base = bases.get(key);
                if (base == null) {
                    base = rollups.own(h, node, r.domain(), r.kpi(), Period.HOUR, r.hourStart().toEpochMilli());
                    bases.put(key, base);
                }
                rows.add(base.map(b -> b.merge(r)).orElse(r));
            }
            rollups.upsert(h, node, Period.HOUR, rows, now);
            for (Period period : List.of(Period.DAY, Period.WEEK)) {
                Period from = period == Period.DAY ? Period.HOUR : Period.DAY;
                Set<String> done = new LinkedHashSet<>();
                List<HourlyRollup> merged = new ArrayList<>();
                for (HourlyRollup r : held) {
                    long start = period.start(r.hourStart().toEpochMilli());
                    if (done.add(key(r.domain(), r.kpi(), start))) {
                        rollups.ownMerged(h, node, r.domain(), r.kpi(), from, start, period.end(start))
                                .ifPresent(merged::add);
                    }
                }
                rollups.upsert(h, node, period, merged, now);
            }
        });
    }

    private void collect() {
        for (HourlyRollup r : registry.changedSince(known)) {
            String key = key(r.domain(), r.kpi(), r.hourStart().toEpochMilli());
            known.put(key, r.count());
            pending.put(key, r);
        }
        int max = config.maxUnsentHours();
        TreeSet<Long> hours = new TreeSet<>();
        for (HourlyRollup r : pending.values()) {
            hours.add(r.hourStart().toEpochMilli());
        }
        while (hours.size() > max) {
            long oldest = hours.pollFirst();
            pending.values().removeIf(r -> r.hourStart().toEpochMilli() == oldest);
            droppedHours.incrementAndGet();
            LOG.error("store unreachable for too long: dropped the unsent rollups of hour {} (store.maxUnsentHours={})",
                    java.time.Instant.ofEpochMilli(oldest), max);
        }
    }

    private void writeCatalogAndRejections() {
        List<CatalogDao.CatalogKpi> kpis = catalog.get();
        if (kpis != null) {
            db.jdbi().useTransaction(h -> catalogDao.upsertCatalog(h, kpis, clock.millis()));
            catalog.compareAndSet(kpis, null);
            flushes.incrementAndGet();
        }
        Map<String, Long> now = rejectedByDomain.get();
        long hour = Math.floorDiv(clock.millis(), 3_600_000L) * 3_600_000L;
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long delta = e.getValue() - rejectionsWritten.getOrDefault(e.getKey(), 0L);
            if (delta > 0) {
                db.jdbi().useTransaction(h -> catalogDao.addRejections(h, node, e.getKey(), hour, delta));
                rejectionsWritten.put(e.getKey(), e.getValue());
                flushes.incrementAndGet();
            }
        }
    }

    /** Writes the running plugins' declared KPIs to the catalog cognition scores from, at the next flush. */
    public void catalog(List<dev.grace.runtime.PluginStatus> plugins) {
        List<CatalogDao.CatalogKpi> kpis = new ArrayList<>();
        for (dev.grace.runtime.PluginStatus p : plugins) {
            if (p.state() != dev.grace.runtime.PluginState.RUNNING) {
                continue;
            }
            for (dev.grace.api.Kpi k : p.kpis()) {
                kpis.add(new CatalogDao.CatalogKpi(p.domain(), k.name(), p.id(),
                        k.unit().name(), k.direction().name(), k.healthBearing(),
                        k.target().isPresent() ? k.target().getAsDouble() : null));
            }
        }
        catalog.set(List.copyOf(kpis));
    }

    /** Where each flush reads the values rejected so far per domain, to store them per hour. */
    public void rejections(java.util.function.Supplier<Map<String, Long>> byDomain) {
        this.rejectedByDomain = byDomain;
    }

    /**
     * Asks the writer thread to flush now and waits for it.
     *
     * @return false when the flush failed or did not happen within the timeout
     */
    public boolean flushNow(Duration timeout) {
        java.util.concurrent.CompletableFuture<Void> f =
                flushWaiters.updateAndGet(c -> c != null ? c : new java.util.concurrent.CompletableFuture<>());
        LockSupport.unpark(thread);
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int pendingHours() {
        return (int) pending.values().stream().mapToLong(r -> r.hourStart().toEpochMilli()).distinct().count();
    }

    private void writeAudit() {
        String[] fact;
        while ((fact = auditQueue.peek()) != null) {
            audit.append(db.jdbi(), Long.parseLong(fact[0]), node, fact[1], fact[2]);
            auditQueue.poll();
        }
    }

    private static String key(String domain, String kpi, long start) {
        return domain + '/' + kpi + '/' + start;
    }

    // --- retention --------------------------------------------------------------------------------

    private void purgeIfDue() {
        long now = clock.millis();
        if (lastRetentionMillis != Long.MIN_VALUE && now - lastRetentionMillis < RETENTION_EVERY_MILLIS) {
            return;
        }
        lastRetentionMillis = now;
        purge(now);
    }

    /** Deletes raw events and rollups past their retention, in batches; audits what it deleted. */
    void purge(long now) {
        Purged p = purgeRetention(now);
        if (p.any()) {
            LOG.info(p.detail());
            audit.append(db.jdbi(), now, node, "retention", p.detail());
        }
    }

    /** What one retention purge deleted. */
    public record Purged(long rawEvents, int hours, int days, int weeks, String detail) {
        /** Whether anything was deleted. */
        public boolean any() {
            return rawEvents + hours + days + weeks > 0;
        }
    }

    /**
     * Deletes raw events and rollups past their retention as of {@code now}, each batch in its own
     * transaction; audits nothing (callers do). Safe from any thread, while the writer thread purges
     * too: a delete of rows already deleted deletes nothing.
     *
     * @throws RuntimeException when the database fails; what was deleted so far stays deleted
     */
    public Purged purgeRetention(long now) {
        long before = now - config.rawRetention().toMillis();
        long rawDeleted = 0;
        int n;
        do {
            n = db.jdbi().inTransaction(h -> events.purgeBatch(h, before, PURGE_BATCH));
            rawDeleted += n;
        } while (n == PURGE_BATCH && running);
        int hours = db.jdbi().inTransaction(h -> rollups.purge(h, Period.HOUR, now - config.hourlyRetention().toMillis()));
        int days = db.jdbi().inTransaction(h -> rollups.purge(h, Period.DAY, now - config.dailyRetention().toMillis()));
        int weeks = db.jdbi().inTransaction(h -> rollups.purge(h, Period.WEEK, now - config.weeklyRetention().toMillis()));
        String detail = "purged " + rawDeleted + " raw events older than " + config.rawRetention() + ", " + hours
                + " hourly, " + days + " daily and " + weeks + " weekly rollups past retention";
        return new Purged(rawDeleted, hours, days, weeks, detail);
    }

    /** The store's retention settings. */
    public GraceConfig.Store config() {
        return config;
    }

    // --- closing ----------------------------------------------------------------------------------

    /**
     * From now on, a database that stays down holds up closing for a bounded time only: raw-event
     * batches still failing after it are given up (and counted by the runtime).
     */
    public void closing() {
        long deadline = System.nanoTime() + CLOSE_PATIENCE_NANOS;
        if (closeDeadline == Long.MAX_VALUE) {
            closeDeadline = deadline;
        }
    }

    /**
     * Stops the writer thread and writes everything held, retrying while the database is down for at
     * most 10 seconds; then closes the pool. Call after every hour is closed and raw events drained.
     */
    @Override
    public void close() {
        closing();
        running = false;
        LockSupport.unpark(thread);
        if (thread.isAlive() || thread.getState() != Thread.State.NEW) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        audit("runtime-closed", "node " + node + " closed");
        for (int attempt = 1; ; attempt++) {
            try {
                flush();
                break;
            } catch (RuntimeException e) {
                failedWrites.incrementAndGet();
                if (System.nanoTime() - closeDeadline > 0) {
                    LOG.error("closing: the store database stayed unreachable; {} hours of rollups not written: {}",
                            pendingHours(), Database.rootMessage(e));
                    break;
                }
                LockSupport.parkNanos(backoffNanos(attempt));
            }
        }
        db.close();
    }
}
