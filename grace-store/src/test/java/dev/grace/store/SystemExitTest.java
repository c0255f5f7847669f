package dev.grace.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code System.exit} while the runtime runs on the default H2 file, with the host's shutdown hook
 * closing the runtime, three times in one data directory (issue 13): H2 must not close the database
 * from a hook of its own beside that close, so the runtime's close writes everything accepted in
 * order, the database never reports itself closed under it, and verify agrees. With H2's hook (the
 * file opened with {@code AUTO_SERVER}) the final flush met a closed database.
 */
class SystemExitTest {

    @TempDir
    Path dir;

    @Test
    void systemExitWithTheHostClosingTheRuntimeStoresEverythingAcceptedInOrder() throws Exception {
        long accepted = 0;
        for (int cycle = 1; cycle <= 3; cycle++) {
            List<String> output = ChildJvm.run(SystemExitChild.class, dir.toString()).output();
            assertThat(output).as("cycle %d: the child started", cycle).contains("started");
            assertThat(output).as("cycle %d: the database closed under the runtime", cycle)
                    .noneMatch(l -> l.contains("Database is already closed") || l.contains("has been closed"));
            String last = output.stream().filter(l -> l.startsWith("accepted ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no count from the child: " + output));
            accepted += Long.parseLong(last.substring("accepted ".length()));
            try (GraceStore store = GraceStore.open(SigTermTest.config(dir))) {
                List<PeriodRollup> hours = store.rollups("ops", "latency", Period.HOUR,
                        Instant.now().minus(Duration.ofHours(3)));
                assertThat(hours.stream().mapToLong(PeriodRollup::count).sum()).as("cycle %d", cycle).isEqualTo(accepted);
                assertThat(store.verify().differences()).as("cycle %d", cycle).isEmpty();
            }
        }
    }
}
