package dev.grace.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.store.Period;
import dev.grace.runtime.store.PeriodRollup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default H2 file is opened without H2's shutdown hook and without {@code AUTO_SERVER}, and still
 * read by others while a runtime holds it: in the same JVM, from another JVM (as {@code grace
 * rollups} does), and the other way round, a runtime started while a reader holds the file.
 */
class SharedStoreFileTest {

    @TempDir
    Path dir;

    @Test
    void readersInThisJvmAndAnotherReadTheFileWhileARuntimeHoldsIt() throws Exception {
        AtomicLong accepted = new AtomicLong();
        GraceRuntime runtime = runtime(accepted).start();
        Path address = dir.resolve("store/grace.server");
        try {
            assertThat(address).exists();
            assertThat(Files.getPosixFilePermissions(address)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(runtime.flushStore(Duration.ofSeconds(10))).isTrue();
            try (GraceStore store = GraceStore.open(SigTermTest.config(dir))) {
                assertThat(count(store)).isPositive();
            }
            assertThat(countInAnotherJvm()).isPositive();
        } finally {
            runtime.close();
        }
        assertThat(address).doesNotExist();
        try (GraceStore store = GraceStore.open(SigTermTest.config(dir))) {
            assertThat(count(store)).isEqualTo(accepted.get());
            assertThat(store.verify().differences()).isEmpty();
        }
    }

    @Test
    void aRuntimeStartedWhileAReaderHoldsTheFileTakesItOverWhenTheReaderCloses() throws Exception {
        AtomicLong accepted = new AtomicLong();
        GraceStore reader = GraceStore.open(SigTermTest.config(dir));
        reader.migrate();
        GraceRuntime runtime;
        try {
            runtime = runtime(accepted).start();
            assertThat(runtime.flushStore(Duration.ofSeconds(10))).isTrue();
            assertThat(count(reader)).isPositive();
        } finally {
            reader.close();
        }
        try {
            Thread.sleep(300); // publishing and flushing, now into the file the runtime opened itself
            assertThat(runtime.flushStore(Duration.ofSeconds(10))).isTrue();
            assertThat(countInAnotherJvm()).isPositive();
        } finally {
            runtime.close();
        }
        try (GraceStore store = GraceStore.open(SigTermTest.config(dir))) {
            assertThat(count(store)).isEqualTo(accepted.get());
            assertThat(store.verify().differences()).isEmpty();
        }
    }

    private GraceRuntime runtime(AtomicLong accepted) {
        return GraceRuntime.builder().config(SigTermTest.config(dir)).discoverClasspath(false)
                .plugin(new BusyProbe("shared", "ops", Duration.ofMillis(50), accepted)).build();
    }

    private static long count(GraceStore store) {
        return store.rollups("ops", "latency", Period.HOUR, Instant.now().minus(Duration.ofHours(3))).stream()
                .mapToLong(PeriodRollup::count).sum();
    }

    private long countInAnotherJvm() throws Exception {
        ChildJvm.Finished reader = ChildJvm.run(StoreReaderChild.class, dir.toString());
        List<String> output = reader.output();
        assertThat(reader.exitCode()).as("the reader: %s", output).isZero();
        return output.stream().filter(l -> l.startsWith("count ")).mapToLong(l -> Long.parseLong(l.substring(6)))
                .findFirst().orElseThrow(() -> new AssertionError("no count from the reader: " + output));
    }
}
