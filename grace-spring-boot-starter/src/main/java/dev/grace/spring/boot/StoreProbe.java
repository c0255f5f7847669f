package dev.grace.spring.boot;

import dev.grace.runtime.extension.ExtensionContext;
import dev.grace.runtime.extension.RuntimeExtension;
import dev.grace.runtime.extension.StoreService;

import java.util.Optional;

/**
 * An extension that only keeps the runtime's context, so the health indicator can ask the store
 * (when one is attached) whether it answers, without the starter depending on {@code grace-store}.
 */
final class StoreProbe implements RuntimeExtension {

    private volatile ExtensionContext context;

    @Override
    public String name() {
        return "spring-health";
    }

    @Override
    public void start(ExtensionContext context) {
        this.context = context;
    }

    /** The attached store; empty without one, before the start and after the close. */
    Optional<StoreService> store() {
        ExtensionContext c = context;
        return c == null ? Optional.empty() : c.service(StoreService.class);
    }

    @Override
    public void close() {
        context = null;
    }
}
