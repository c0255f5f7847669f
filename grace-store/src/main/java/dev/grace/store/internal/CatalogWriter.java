package dev.grace.store.internal;

import dev.grace.api.Kpi;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The {@link StoreWriter}'s writes to the catalog tables cognition scores from: the running plugins'
 * declared KPIs, and the values rejected per domain and hour. Set from any thread, written at each
 * flush on the {@code grace-store-writer} thread.
 */
final class CatalogWriter {

    private final Database db;
    private final String node;
    private final Clock clock;
    /** The writer's count of flushes that wrote something; each transaction here counts as one. */
    private final AtomicLong flushes;
    private final CatalogDao catalogDao;
    /** Declared KPIs waiting to be written to the catalog by the writer thread. */
    private final AtomicReference<List<CatalogDao.CatalogKpi>> catalog = new AtomicReference<>();
    /** Values rejected so far, per domain; read at each flush. */
    private volatile Supplier<Map<String, Long>> rejectedByDomain = Map::of;
    /** Rejections already written, per domain; writer thread only. */
    private final Map<String, Long> rejectionsWritten = new HashMap<>();

    CatalogWriter(Database db, String node, Clock clock, AtomicLong flushes) {
        this.db = db;
        this.node = node;
        this.clock = clock;
        this.flushes = flushes;
        this.catalogDao = new CatalogDao(db.vendor());
    }

    /** Holds the running plugins' declared KPIs for the next {@link #write}. */
    void catalog(List<PluginStatus> plugins) {
        List<CatalogDao.CatalogKpi> kpis = new ArrayList<>();
        for (PluginStatus p : plugins) {
            if (p.state() != PluginState.RUNNING) {
                continue;
            }
            for (Kpi k : p.kpis()) {
                kpis.add(new CatalogDao.CatalogKpi(p.domain(), k.name(), p.id(),
                        k.unit().name(), k.direction().name(), k.healthBearing(),
                        k.target().isPresent() ? k.target().getAsDouble() : null, k.min(), k.max(),
                        k.mayBeConstant()));
            }
        }
        catalog.set(List.copyOf(kpis));
    }

    /** Where each {@link #write} reads the values rejected so far per domain. */
    void rejections(Supplier<Map<String, Long>> byDomain) {
        this.rejectedByDomain = byDomain;
    }

    /**
     * Writes the KPIs held and the rejections added since the last write, each transaction counted as
     * a flush; writer thread only.
     *
     * @throws RuntimeException when the database fails; what was not written stays held
     */
    void write() {
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
}
