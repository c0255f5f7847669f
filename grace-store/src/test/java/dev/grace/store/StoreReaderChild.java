package dev.grace.store;

import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs in a JVM of its own for {@link SharedStoreFileTest}, as {@code grace rollups} would: opens the
 * store of a data directory and prints how many values its hourly rollups count.
 */
public final class StoreReaderChild {

    public static void main(String[] args) {
        try (GraceStore store = GraceStore.open(SigTermTest.config(Path.of(args[0])))) {
            long count = store.rollups("ops", "latency", Period.HOUR, Instant.now().minus(Duration.ofHours(3)))
                    .stream().mapToLong(PeriodRollup::count).sum();
            System.out.println("count " + count);
        }
    }

    private StoreReaderChild() {
    }
}
