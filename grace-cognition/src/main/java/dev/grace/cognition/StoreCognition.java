package dev.grace.cognition;

import dev.grace.cognition.internal.CognitionEngine;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.store.GraceStore;
import java.util.List;

/**
 * Cognition over a store alone, without a runtime, as a runtime would see it: scores, readiness,
 * history, alerts (from {@code <dataDir>/alerts.jsonl}) and evaluation of due hours, for example by
 * {@code grace benchmark run}. Alerts it raises go to the log and the alerts file (and the webhook,
 * when configured). It closes with the store.
 *
 * <pre>{@code
 * try (GraceStore store = GraceStore.open(config)) {
 *     Status now = StoreCognition.over(store).status();
 * }
 * }</pre>
 */
public final class StoreCognition {

    private StoreCognition() {
    }

    /** Cognition over {@code store}, with the store's configuration and clock. */
    public static Cognition over(GraceStore store) {
        CognitionEngine engine = new CognitionEngine(store.database(), store.node(), store.clock(),
                store.config().cognition(), store.config().dataDir(), () -> { }, List.of());
        store.closeWith(engine::close);
        return engine;
    }
}
