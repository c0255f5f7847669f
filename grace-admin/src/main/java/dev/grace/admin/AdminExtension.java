package dev.grace.admin;

import dev.grace.admin.internal.AdminBackend;
import dev.grace.admin.internal.AdminServer;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.PublishStats;
import dev.grace.runtime.Rollups;
import dev.grace.runtime.cognition.CognitionReader;
import dev.grace.runtime.extension.AdminService;
import dev.grace.runtime.extension.CognitionService;
import dev.grace.runtime.extension.DomainPublishing;
import dev.grace.runtime.extension.ExtensionContext;
import dev.grace.runtime.extension.RuntimeExtension;
import dev.grace.runtime.extension.StoreService;
import dev.grace.runtime.store.RollupQuery;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The admin HTTP server (JSON API, Prometheus {@code /metrics}, the web dashboard) as a runtime
 * extension. It serves when {@code http.enabled} is true, from before the store opens and the first
 * plugin starts (a bad bind so fails before anything is opened; plugins see its address in
 * {@code RuntimeView.adminEndpoint()}) until {@code close()} begins. It
 * reads the store and cognition when those extensions are attached, and serves without them.
 */
public final class AdminExtension implements RuntimeExtension {

    private volatile AdminServer server;

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public void start(ExtensionContext context) {
        if (!context.config().http().enabled()) {
            return;
        }
        // ConfigException (bad bind, port in use, open bind without a token): the runtime starts nothing
        server = AdminServer.start(context.config().http(), context.config().dataDir(), new Backend(context));
        context.provide(AdminService.class, () -> Optional.ofNullable(server).map(AdminServer::address));
    }

    @Override
    public void pluginsStarted(List<PluginStatus> plugins) {
        AdminServer s = server;
        if (s != null) {
            s.checkStoreNow(); // the store opened after the server: have /health's cached check see it now
        }
    }

    @Override
    public void stopping() {
        AdminServer s = server;
        server = null;
        if (s != null) {
            s.close(); // first: no request may publish or read while the rest shuts down
        }
    }

    /** What the server reads of the runtime, through the extension context only. */
    private record Backend(ExtensionContext context) implements AdminBackend {
        @Override
        public boolean running() {
            return context.running();
        }

        @Override
        public Clock clock() {
            return context.clock();
        }

        @Override
        public Path dataDir() {
            return context.config().dataDir();
        }

        @Override
        public List<PluginStatus> plugins() {
            return context.plugins();
        }

        @Override
        public PublishStats stats() {
            return context.stats();
        }

        @Override
        public Rollups memory() {
            return context.rollups();
        }

        @Override
        public RollupQuery store() {
            return context.service(StoreService.class).map(StoreService::reader).orElse(null);
        }

        @Override
        public StoreHealth storeHealth() {
            Optional<StoreService> s = context.service(StoreService.class);
            if (s.isEmpty()) {
                return context.config().store().enabled() ? new StoreHealth(true, false, "not open") : StoreHealth.OFF;
            }
            return new StoreHealth(true, s.get().reachable(), s.get().location(), s.get().stuckSince().orElse(null),
                    s.get().rawEventsRefused(), s.get().rollupValuesLost(), s.get().journalBytes());
        }

        @Override
        public Optional<CognitionReader> cognition() {
            return context.service(CognitionService.class).map(CognitionService::cognition);
        }

        @Override
        public DomainPublishing publishers() {
            return context.domainPublishing();
        }
    }
}
