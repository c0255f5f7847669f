package dev.grace.cli;

import dev.grace.cognition.StoreCognition;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.store.GraceStore;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/**
 * What every cognition command shares: the config flags, and opening cognition over the store they
 * name, without a runtime, for the length of one command.
 */
final class CognitionOptions {

    @Mixin
    ConfigOptions config;

    /** Opens the store, applies {@code work} to its cognition and closes the store again. */
    <T> T read(GraceCommand grace, Function<Cognition, T> work) {
        try (GraceStore store = GraceStore.open(config.load(grace.env()))) {
            return work.apply(StoreCognition.over(store));
        }
    }
}
