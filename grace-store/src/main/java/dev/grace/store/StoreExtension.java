package dev.grace.store;

import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.RuntimeEvents;
import dev.grace.runtime.extension.ExtensionContext;
import dev.grace.runtime.extension.RuntimeExtension;
import dev.grace.runtime.extension.StoreService;
import dev.grace.store.internal.AttachedStore;
import dev.grace.store.internal.Database;
import dev.grace.store.internal.StoreWriter;
import java.time.Duration;
import java.util.List;

/**
 * The store as a runtime extension: when {@code store.enabled}, it opens the configured database
 * (H2 under the data directory by default, PostgreSQL by {@code store.url}), migrates its schema,
 * writes every hour state the runtime holds each {@code store.flushInterval} and every raw event, and
 * audits what the runtime does to plugins. It provides {@link StoreService} to the runtime, to
 * plugins' runtime view and to other extensions (cognition reads its {@link #database()}).
 *
 * <p>Found on the classpath through {@link java.util.ServiceLoader}; a host that depends on
 * {@code grace-store} gets it without a line of code.
 */
public final class StoreExtension implements RuntimeExtension {

    private volatile StoreWriter writer;

    @Override
    public String name() {
        return "store";
    }

    @Override
    public void start(ExtensionContext context) {
        if (!context.config().store().enabled()) {
            return;
        }
        // StoreException: one line, nothing written, the runtime starts nothing
        StoreWriter w = StoreWriter.connect(context.config(), context.hours(), context.clock());
        w.replayJournal();   // what an earlier run left in the journal, before anything else is written
        w.rebuildAfterUncleanStop(); // after the replay: what neither the rollups nor the journal hold, from raw events
        w.start();
        writer = w;
        w.rejections(context::rejectedByDomain);
        context.addRawEventSink(w);
        context.addRuntimeEvents(new Auditing(w));
        AttachedStore.RawEventsDelivered delivered = context.config().publisher().rawEvents()
                ? context::awaitRawEvents : null;
        AttachedStore attached = new AttachedStore(w, context.clock(), context.config().dataDir(), delivered);
        context.provide(StoreService.class, attached);
        context.provide(StoreExtension.class, this);
    }

    @Override
    public void pluginsStarted(List<PluginStatus> plugins) {
        StoreWriter w = writer;
        if (w != null) {
            w.auditPlugins(plugins);
            w.catalog(plugins);
        }
    }

    @Override
    public void close() {
        StoreWriter w = writer;
        if (w != null) {
            w.close(); // after every hour closed and every raw event drained: the final flush writes everything
        }
    }

    /** The open database, for extensions that build on the store (cognition); null when the store is off. */
    public Database database() {
        StoreWriter w = writer;
        return w == null ? null : w.database();
    }

    /** This runtime's node id in the shared database; null when the store is off. */
    public String node() {
        StoreWriter w = writer;
        return w == null ? null : w.node();
    }

    /** Writes every rollup held in memory now and waits; false when the store is off, failed or was slow. */
    public boolean flushNow(Duration timeout) {
        StoreWriter w = writer;
        return w != null && w.flushNow(timeout);
    }

    /** Accepted values missing from the stored rollups: hours neither written nor taken by the journal. */
    public long rollupValuesLost() {
        StoreWriter w = writer;
        return w == null ? 0 : w.rollupValuesLost();
    }

    /** How many flushes wrote something. */
    public long flushes() {
        StoreWriter w = writer;
        return w == null ? 0 : w.flushes();
    }

    /**
     * Refusals, restarts and quarantines in the audit log. Refusals at discovery happen before the
     * store opens; {@code auditPlugins} records them with every plugin's state at start.
     */
    private record Auditing(StoreWriter writer) implements RuntimeEvents {
        @Override
        public void pluginRefused(String plugin, String source, String reason) {
            writer.audit("plugin-refused", plugin + " from " + source + ": " + reason);
        }

        @Override
        public void pluginRestarted(String plugin, int restart, String reason) {
            writer.audit("plugin-restarted", plugin + " (restart " + restart + "): " + reason);
        }

        @Override
        public void pluginQuarantined(String plugin, String reason) {
            writer.audit("plugin-quarantined", plugin + ": " + reason);
        }
    }
}
