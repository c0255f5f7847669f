package dev.grace.store;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.store.internal.Vendor;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs in a JVM of its own for {@link CrashRebuildTest}: a runtime on a fixed test clock whose store
 * flushes only when asked. It publishes {@value #FLUSHED} values and flushes them, publishes
 * {@value #UNFLUSHED} more and waits until their raw events are stored, makes the database hold what
 * it committed (H2: CHECKPOINT), prints "ready", then publishes under load until killed.
 * Arguments: data directory, store URL ("-" for the default H2 file), raw events on, clock millis.
 */
public final class CrashChild {

    static final int FLUSHED = 10_000;
    static final int UNFLUSHED = 5_000;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String url = args[1].equals("-") ? null : args[1];
        boolean raw = Boolean.parseBoolean(args[2]);
        TestClock clock = new TestClock(Instant.ofEpochMilli(Long.parseLong(args[3])));
        Probe probe = new Probe("victim", "ops");
        StoreExtension store = new StoreExtension();
        GraceRuntime runtime = GraceRuntime.builder().config(CrashRebuildTest.config(dir, url, raw, Duration.ofHours(1)))
                .clock(clock).discoverClasspath(false).extension(store).plugin(probe).build().start();
        long published = 0;
        for (; published < FLUSHED; published++) {
            probe.publisher().record(Probe.LATENCY, CrashRebuildTest.value(published));
        }
        check(store.flushNow(Duration.ofSeconds(30)), "flush");
        for (; published < FLUSHED + UNFLUSHED; published++) {
            probe.publisher().record(Probe.LATENCY, CrashRebuildTest.value(published));
        }
        if (raw) {
            check(runtime.awaitRawEvents(Duration.ofSeconds(30)), "raw events");
        }
        if (store.database().vendor() == Vendor.H2) {
            store.database().jdbi().useHandle(h -> h.execute("CHECKPOINT"));
        }
        System.out.println("ready");
        while (true) {
            for (int i = 0; i < 100; i++, published++) {
                probe.publisher().record(Probe.LATENCY, CrashRebuildTest.value(published));
            }
            System.out.println("published " + published);
            Thread.sleep(2);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("failed: " + what);
            System.exit(3);
        }
    }

    private CrashChild() {
    }
}
