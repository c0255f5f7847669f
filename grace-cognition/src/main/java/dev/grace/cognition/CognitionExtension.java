package dev.grace.cognition;

import dev.grace.api.RuntimeView;
import dev.grace.cognition.internal.CognitionEngine;
import dev.grace.cognition.internal.CognitionTicker;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.extension.CognitionService;
import dev.grace.runtime.extension.ExtensionContext;
import dev.grace.runtime.extension.RuntimeExtension;
import dev.grace.store.StoreExtension;
import java.time.Duration;
import java.util.List;

/**
 * Cognition as a runtime extension, over the store: when {@code cognition.enabled} (and a store is
 * open), it scores every domain's health, trust and confidence, evaluates each closed hour's
 * benchmarks once (across every runtime sharing the database), and raises readiness events to the
 * configured alert channels and the host's. It provides {@link CognitionService}, which
 * {@code GraceRuntime.cognition()}, plugins' {@code RuntimeView.benchmarks()} and the admin server
 * read.
 */
public final class CognitionExtension implements RuntimeExtension {

    private volatile CognitionEngine engine;
    private CognitionTicker ticker;
    private boolean evaluateAutomatically;

    @Override
    public String name() {
        return "cognition";
    }

    @Override
    public List<String> requires() {
        return List.of("store");
    }

    @Override
    public void start(ExtensionContext context) {
        StoreExtension store = context.service(StoreExtension.class).orElse(null);
        if (!context.config().cognition().enabled() || store == null || store.database() == null) {
            return;
        }
        CognitionEngine.checkSeries(context.config().cognition().benchmarks(), context.plugins());
        CognitionEngine e = new CognitionEngine(store.database(), store.node(), context.clock(),
                context.config().cognition(), context.config().dataDir(),
                () -> store.flushNow(Duration.ofSeconds(30)), context.alertChannels(), store::flushes);
        engine = e;
        evaluateAutomatically = context.evaluateAutomatically();
        context.provide(CognitionService.class, new CognitionService() {
            @Override
            public Cognition cognition() {
                return e;
            }

            @Override
            public List<RuntimeView.BenchmarkView> benchmarks() {
                return e.views();
            }

            @Override
            public boolean setThreshold(String benchmark, double threshold) {
                return e.setThreshold(benchmark, threshold);
            }
        });
    }

    @Override
    public void pluginsStarted(List<PluginStatus> plugins) {
        CognitionEngine e = engine;
        if (e != null && evaluateAutomatically) {
            ticker = new CognitionTicker(e);
            ticker.start();
        }
    }

    @Override
    public void stopping() {
        if (ticker != null) {
            ticker.close();
        }
    }

    @Override
    public void close() {
        CognitionEngine e = engine;
        if (e != null) {
            e.close();
        }
    }
}
