package dev.grace.store.internal;

import dev.grace.api.Backoff;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.internal.publish.RawEventColumnSink;
import dev.grace.runtime.internal.publish.RawEventColumns;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.extension.CommitLatency;
import dev.grace.runtime.extension.HourStates;
import dev.grace.runtime.internal.ConditionLog;
import dev.grace.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

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
 *
 * <p><b>Journal.</b> With {@code store.journal.enabled} (the default), what the database does not take
 * goes to the {@link Journal} under {@code <dataDir>/journal/} instead: raw-event batches at once (the
 * raw-event thread never waits on a database that is down), hours beyond {@code maxUnsentHours}, and at
 * {@link #close()} every hour and audit fact still held. Each flush first replays the journal ({@link JournalReplay}),
 * so once the database answers (the {@link Recovery} probe wakes this thread) what it holds is written in
 * order, exactly once, and deleted. The next start replays what a stop left ({@link #replayJournal()})
 * before anything else is written.
 *
 * <p>The raw-event thread's side is {@link RawEventWriter}, the retention purge {@link RetentionPurge}
 * and the catalog and rejection rows {@link CatalogWriter}; this class keeps the rollup flush, the
 * audit queue and closing, and is the one surface the rest of the store uses.
 */
public final class StoreWriter implements RawEventColumnSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    /** Between failed writes: 100 ms doubling to 30 s, jittered so runtimes sharing a database spread out. */
    static final Backoff BACKOFF = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30));
    /** The longest wait of {@link #BACKOFF}. */
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * How long a database that stays down may hold up closing the store, from {@link #closing()}: the
     * documented bound of 10 s less what closing the pool and the rest of the runtime take afterwards.
     */
    private static final long CLOSE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(6);
    /** Of that, how long raw-event batches may be retried; the final flush of the rollups has the rest. */
    private static final long RAW_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(4);
    /** A stuck-since value meaning: the last write succeeded. */
    static final long NOT_STUCK = Long.MIN_VALUE;

    private final Database db;
    private final String node;
    private final GraceConfig.Store config;
    private final HourStates registry;
    private final Clock clock;
    private final AuditLogDao audit = new AuditLogDao();
    private final Thread thread;
    private final Recovery recovery;
    private final ConditionLog rollupOutage;
    private final ConcurrentLinkedQueue<String[]> auditQueue = new ConcurrentLinkedQueue<>();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicLong auditFactsLost = new AtomicLong();
    private final RawEventWriter rawEvents;
    private final RetentionPurge retention;
    private final CatalogWriter catalog;

    /** Hours changed and not yet written; the writer thread's, then (after it stopped) close()'s. */
    private final PendingRollups pending;
    /** What the database could not take; null without one. */
    private final Journal journal;
    private final JournalReplay replay;

    private volatile boolean running = true;
    /** Waiters of {@link #flushNow}, completed after the next flush. */
    private final AtomicReference<CompletableFuture<Void>> flushWaiters = new AtomicReference<>();
    private volatile long closeDeadline = Long.MAX_VALUE;
    /** When the rollup flush being retried first failed; NOT_STUCK otherwise. Written by the writer thread. */
    private volatile long rollupStuckSince = NOT_STUCK;
    /** This node's run marker; null for a writer built without {@link #open} (tests). */
    private volatile RunMarker marker;
    private volatile CrashRebuild.Outcome lastRebuild;
    /** The configuration {@link #connect} was given, for the start-up steps; null otherwise. */
    private volatile GraceConfig startConfig;

    public StoreWriter(Database db, String node, GraceConfig.Store config, HourStates registry, Clock clock) {
        this(db, node, config, registry, clock, null);
    }

    /**
     * @param journalDir where the journal is kept (read now: what an earlier run left is replayed by
     *                   {@link #replayJournal()}); null for none
     */
    public StoreWriter(Database db, String node, GraceConfig.Store config, HourStates registry, Clock clock,
                       Path journalDir) {
        this.db = db;
        this.node = node;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.journal = journalDir == null ? null
                : Journal.open(journalDir, config.journal().maxBytes(), JournalReplay.appliedUpTo(db, node));
        this.pending = new PendingRollups(db, node, config, registry, journal, UUID.randomUUID().getMostSignificantBits());
        this.recovery = new Recovery(db);
        this.rollupOutage = new ConditionLog(LOG, "writing rollups fails", clock);
        this.rawEvents = new RawEventWriter(db, node, clock, failedWrites, recovery, journal);
        this.replay = journal == null ? null : new JournalReplay(db, node, pending, rawEvents, clock);
        this.retention = new RetentionPurge(db, node, config, () -> running);
        this.catalog = new CatalogWriter(db, node, clock, flushes);
        this.thread = new Thread(this::run, "grace-store-writer");
        this.thread.setDaemon(true);
    }

    /**
     * Connects, migrates the schema (audited), replays the journal and starts writing: {@link #connect},
     * {@link #replayJournal()}, {@link #start()}.
     *
     * @throws StoreException when the store cannot be used as configured;
     *         nothing has been written then
     */
    public static StoreWriter open(GraceConfig config, HourStates registry, Clock clock) {
        StoreWriter writer = connect(config, registry, clock);
        writer.replayJournal();
        // after the journal's replay, so that what it brings back counts; then what is still short
        writer.rebuildAfterUncleanStop();
        writer.start();
        return writer;
    }

    /**
     * Connects, migrates the schema (audited, at the first flush) and opens the journal; writes nothing
     * else and starts no thread. The start-up steps follow: {@link #replayJournal()}, {@link #rebuildAfterUncleanStop()}, then {@link #start()}.
     *
     * @throws StoreException when the store cannot be used as configured;
     *         nothing has been written then
     */
    public static StoreWriter connect(GraceConfig config, HourStates registry, Clock clock) {
        Database db = Database.connect(config);
        try {
            List<String> applied = db.migrate();
            Path journalDir = config.store().journal().enabled() ? journalDir(config) : null;
            StoreWriter writer;
            try {
                writer = new StoreWriter(db, NodeIds.resolve(config.nodeId(), config.dataDir()), config.store(),
                        registry, clock, journalDir);
            } catch (UncheckedIOException e) {
                throw new StoreException("store.journal: " + e.getMessage() + "; set dataDir to a writable"
                        + " directory or store.journal.enabled=false", e);
            }
            if (!applied.isEmpty()) {
                writer.audit("migration", "applied " + String.join(", ", applied));
            }
            writer.startConfig = config;
            writer.audit("runtime-started", "node " + writer.node + " started");
            LOG.info("store: {} as node {}{}", db.url(), writer.node,
                    journalDir == null ? ", no journal" : ", journal " + journalDir);
            return writer;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Reads this node's run marker: when the previous run did not close cleanly, rebuilds the hours it
     * may have left short from this node's raw events ({@link CrashRebuild}); then marks this run as
     * started. A start-up step after {@link #replayJournal()} (so that what the journal brings back is
     * in the rollups and raw events compared) and before {@link #start()} (before any plugin publishes).
     */
    public void rebuildAfterUncleanStop() {
        GraceConfig config = startConfig;
        if (config == null) {
            return; // built without connect(): no data directory to keep a marker in
        }
        RunMarker m = new RunMarker(config.dataDir(), node, config.publisher().latenessLimit().toMillis(),
                config.publisher().rawEvents());
        long now = clock.millis();
        long carry = Long.MAX_VALUE;
        Optional<RunMarker.Unclean> previous = m.previous();
        if (previous.isPresent()) {
            RunMarker.Unclean unclean = previous.get();
            LOG.info("store: node {} did not close cleanly last time; comparing its rollups since {} with its raw events",
                    node, unclean.storedBefore() == Long.MIN_VALUE ? "raw events begin"
                            : Instant.ofEpochMilli(unclean.storedBefore()));
            try {
                long started = System.nanoTime();
                CrashRebuild.Outcome o = new CrashRebuild(db, node).rebuild(unclean, now,
                        config.store().rawRetention().toMillis());
                lastRebuild = o;
                // the start waits for it (before any plugin starts): say how long, for operators sizing restarts
                LOG.info("store: the rebuild after the unclean stop took {} ms: {} hours rebuilt ({} values added), {}"
                                + " not rebuilt", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                        o.hoursRebuilt(), o.valuesAdded(), o.hoursNotRebuilt());
            } catch (RuntimeException e) {
                // keep the older mark, so the next start tries again; this run starts all the same
                carry = unclean.storedBefore();
                LOG.warn("store: rebuilding rollups after the unclean stop failed; the next start tries again: {}",
                        Database.rootMessage(e));
            }
        }
        m.begin(now, carry);
        marker = m;
    }

    /** What the rebuild after an unclean stop did at this start; null when the previous run closed cleanly. */
    CrashRebuild.Outcome lastRebuild() {
        return lastRebuild;
    }

    /** {@code <dataDir>/journal}. */
    public static Path journalDir(GraceConfig config) {
        return config.dataDir().toAbsolutePath().normalize().resolve("journal");
    }

    /**
     * The start-up step that writes what the journal holds — what an earlier run could not write before
     * it stopped — before anything else is written; call after {@link #connect} and before
     * {@link #start()}. When the database fails meanwhile, what is left stays in the journal and the
     * writer thread replays it once the database answers; new raw events queue behind it.
     *
     * @return whether the journal is empty now (true without one)
     */
    public boolean replayJournal() {
        if (journal == null || !journal.holding()) {
            return true;
        }
        long raw = replay.rawReplayed();
        long hours = replay.hoursReplayed();
        long facts = replay.auditReplayed();
        try {
            journal.replay(replay);
            LOG.info("journal: wrote {} raw events, {} hour states and {} audit facts an earlier run left in {}",
                    replay.rawReplayed() - raw, replay.hoursReplayed() - hours, replay.auditReplayed() - facts,
                    journal.directory());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("journal: the database failed while the journal was replayed at start; the rest ({} bytes)"
                    + " is written when it answers: {}", journal.bytes(), Database.rootMessage(e));
            return false;
        }
    }

    /** Audits each plugin's state after start: started, failed or refused, with the cause. */
    public void auditPlugins(List<PluginStatus> plugins) {
        for (PluginStatus p : plugins) {
            String kind = switch (p.state()) {
                case RUNNING -> "plugin-started";
                case FAILED -> "plugin-failed";
                default -> "plugin-" + p.state().name().toLowerCase(Locale.ROOT);
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
        recovery.start();
        thread.start();
    }

    /** Records a lifecycle fact in the audit log; written by the writer thread, in order. */
    public void audit(String kind, String detail) {
        auditQueue.add(new String[] {String.valueOf(clock.millis()), kind, detail});
    }

    /** Hours of rollup state dropped: beyond {@code maxUnsentHours} or at close, and no room in a journal. */
    public long droppedHours() {
        return pending.dropped();
    }

    /** The accepted values those dropped hours held: missing from the stored rollups. */
    public long rollupValuesLost() {
        return pending.droppedValues();
    }

    /** Bytes the journal holds now (0 without one). */
    public long journalBytes() {
        return journal == null ? 0 : journal.bytes();
    }

    /** Flushes that wrote something. */
    public long flushes() {
        return flushes.get();
    }

    /** Publish-to-commit latency totals of the raw events written. */
    public CommitLatency persistLatency() {
        return rawEvents.persistLatency();
    }

    /** Writes that failed and were retried. */
    public long failedWrites() {
        return failedWrites.get();
    }

    // --- raw events -------------------------------------------------------------------------------

    /**
     * Writes a batch of raw events, on the calling (raw-event) thread; see {@link RawEventWriter#accept}.
     * A database that is down is retried until the rows are written or {@link #closing()} gives up; rows
     * the database refuses for what they hold are counted ({@link #rawEventsRefused()}) and dropped, and
     * no row is written twice.
     */
    @Override
    public void accept(RawEventColumns batch) {
        rawEvents.accept(batch);
    }

    /** Raw events the database refused for what they hold, in total; each was dropped, the rest written. */
    public long rawEventsRefused() {
        return rawEvents.refused();
    }

    /** Raw events the database refused for what they hold, per plugin id. */
    public Map<String, Long> rawEventsRefusedByPlugin() {
        return rawEvents.refusedByPlugin();
    }

    /**
     * Since when the writer has been failing to write, by the runtime's clock: the first failure of
     * the raw-event batch or of the rollup flush it is still retrying; empty while writes succeed.
     */
    public Optional<Instant> stuckSince() {
        long raw = rawEvents.stuckSinceMillis();
        long rollup = rollupStuckSince;
        long since = raw == NOT_STUCK ? rollup : rollup == NOT_STUCK ? raw : Math.min(raw, rollup);
        return since == NOT_STUCK ? Optional.empty() : Optional.of(Instant.ofEpochMilli(since));
    }

    /** Raw-event batches a retry found already stored: their first attempt committed, then reported a failure. */
    public long committedBeforeFailure() {
        return rawEvents.committedBeforeFailure();
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
        long answersAtFailure = 0;
        while (running) {
            CompletableFuture<Void> asked = flushWaiters.getAndSet(null);
            long wait = next - System.nanoTime();
            if (failures > 0 && recovery.answers() != answersAtFailure) {
                wait = 0; // the database answers again: retry now, not at the end of the backoff
            }
            if (wait > 0 && asked == null) {
                if (failures > 0) {
                    recovery.backOff(wait);
                } else {
                    LockSupport.parkNanos(wait);
                }
                continue;
            }
            try {
                long flushStart = clock.millis();
                flush();
                RunMarker m = marker;
                if (m != null) {
                    m.flushed(flushStart);
                }
                if (asked != null) {
                    asked.complete(null);
                }
                purgeIfDue();
                rollupOutage.cleared();
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
                rollupOutage.failed(pending.hours() + " hours held, retrying with backoff: " + Database.rootMessage(e), e);
                // With a journal nothing waits on this retry but the journal's replay: retry when the recovery
                // probe finds the database answering, else only after the longest backoff. A retry on the
                // backoff alone would mostly sit in the pool's 1 s connection wait, and a database coming
                // back meanwhile would wait for it to end.
                next = System.nanoTime() + Math.max(interval, journal != null ? MAX_BACKOFF_NANOS : backoffNanos(failures));
                answersAtFailure = recovery.answers();
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
        pending.collect();
        try {
            if (journal != null) {
                journal.replay(replay); // older than anything below
            }
            writeAudit();
            catalog.write();
        } catch (RuntimeException e) {
            pending.resendAll();
            db.evictConnections();
            throw e;
        }
        if (pending.isEmpty()) {
            return;
        }
        try {
            pending.write(clock.millis());
        } catch (RuntimeException e) {
            db.evictConnections();
            throw e;
        }
        flushes.incrementAndGet();
    }

    /** Writes the running plugins' declared KPIs to the catalog cognition scores from, at the next flush. */
    public void catalog(List<PluginStatus> plugins) {
        catalog.catalog(plugins);
    }

    /** Where each flush reads the values rejected so far per domain, to store them per hour. */
    public void rejections(Supplier<Map<String, Long>> byDomain) {
        catalog.rejections(byDomain);
    }

    /**
     * Asks the writer thread to flush now and waits for it.
     *
     * @return false when the flush failed or did not happen within the timeout
     */
    public boolean flushNow(Duration timeout) {
        CompletableFuture<Void> f = flushWaiters.updateAndGet(c -> c != null ? c : new CompletableFuture<>());
        LockSupport.unpark(thread);
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void writeAudit() {
        String[] fact;
        while ((fact = auditQueue.peek()) != null) {
            audit.append(db.jdbi(), Long.parseLong(fact[0]), node, fact[1], fact[2]);
            auditQueue.poll();
        }
    }

    /**
     * At a stop the database did not answer: the audit facts still queued go to the journal, in order,
     * and the next start appends them to the chain before its own. Returns how many did not fit (all,
     * without a journal), counted in {@link #auditFactsLost()}.
     */
    private long journalAudit() {
        long lost = 0;
        String[] fact;
        while ((fact = auditQueue.poll()) != null) {
            if (journal == null || !journal.appendAudit(Long.parseLong(fact[0]), fact[1], fact[2])) {
                lost++;
            }
        }
        auditFactsLost.addAndGet(lost);
        return lost;
    }

    /** Audit facts a stop could neither write nor journal. */
    public long auditFactsLost() {
        return auditFactsLost.get();
    }

    // --- retention --------------------------------------------------------------------------------

    private void purgeIfDue() {
        retention.purgeIfDue(clock.millis());
    }

    /** Deletes raw events and rollups past their retention, in batches; audits what it deleted. */
    void purge(long now) {
        retention.purge(now);
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
        return retention.purgeRetention(now);
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
    public synchronized void closing() {
        if (closeDeadline == Long.MAX_VALUE) {
            long now = System.nanoTime();
            closeDeadline = now + CLOSE_PATIENCE_NANOS;
            rawEvents.giveUpAfter(now + RAW_PATIENCE_NANOS);
            if (journal == null) {
                // every attempt from now on counts against the bound: wait for a connection briefly. With a
                // journal the close makes one attempt (none when the database is known down), so the pool's
                // usual wait stays, and a busy pool at a clean stop does not send the hours to the journal
                db.closing();
            }
        }
    }

    /**
     * Stops the writer thread and writes everything held; then closes the pool. Call after every hour is
     * closed and raw events drained. When the database does not answer: with a journal, one attempt, then
     * every hour held goes to the journal (raw events are there already) for the next start; without
     * one, retries until 6 s after {@link #closing()} (raw events until 4 s), then drops what is held and
     * counts it, so that the whole stop stays within the documented 10 s.
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
        // Known down (the last flush failed, and a connection past the pool fails now): straight to the
        // journal, without waiting out the pool's connection timeout once more.
        boolean down = journal != null && rollupStuckSince != NOT_STUCK && !db.answersAgain();
        for (int attempt = 1; ; attempt++) {
            try {
                if (down) {
                    throw new IllegalStateException("the last flush failed and the database does not answer");
                }
                flush();
                RunMarker m = marker;
                if (m != null) {
                    m.clean(); // everything held is written: the next start has nothing to rebuild
                }
                break;
            } catch (RuntimeException e) {
                failedWrites.incrementAndGet();
                if (journal != null) {
                    pending.collect();
                    int hours = pending.hours();
                    long lost = pending.journalAll();
                    int facts = auditQueue.size();
                    long factsLost = journalAudit();
                    LOG.warn("closing: the store database does not answer; {} hours of rollups{}, {} audit facts{} and"
                                    + " the raw events not written are in the journal {} ({} bytes), written at the next"
                                    + " start: {}",
                            hours, lost == 0 ? "" : " (less " + lost + " values the journal's bound refused)",
                            facts, factsLost == 0 ? "" : " (less " + factsLost + " the bound refused)",
                            journal.directory(), journal.bytes(), Database.rootMessage(e));
                    break;
                }
                if (System.nanoTime() - closeDeadline > 0) {
                    int hours = pending.hours();
                    long lost = pending.journalAll(); // without a journal: dropped and counted
                    long factsLost = journalAudit();
                    LOG.error("closing: the store database stayed unreachable; {} hours of rollups ({} values) and {}"
                            + " audit facts not written: {}", hours, lost, factsLost, Database.rootMessage(e));
                    break;
                }
                recovery.backOff(Math.min(backoffNanos(attempt), Math.max(0, closeDeadline - System.nanoTime())));
            }
        }
        if (journal != null) {
            journal.close();
        }
        recovery.close();
        db.close();
    }
}
