package dev.grace.plugins.core;

import dev.grace.api.RuntimeView.PluginView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UptimeTest {

    private static final long S = 1000;
    /** 2026-01-01T00:00:00Z, on a slice boundary. */
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static PluginView plugin(String id, String state, long sinceMillis, int restarts) {
        return new PluginView(id, "d", "1", state, Instant.ofEpochMilli(sinceMillis), null, restarts, List.of(), "host");
    }

    private static List<Double> shares(List<Uptime.Slice> slices) {
        return slices.stream().map(Uptime.Slice::share).toList();
    }

    @Test
    void aSliceWithEveryPluginRunningThroughoutIsFullyUp() {
        Uptime u = new Uptime(5 * S, "core");
        assertThat(u.observe(T0, List.of(plugin("a", "RUNNING", T0 - 60 * S, 0)))).isEmpty();
        assertThat(u.observe(T0 + 3 * S, List.of(plugin("a", "RUNNING", T0 - 60 * S, 0)))).as("slice not over yet").isEmpty();
        List<Uptime.Slice> done = u.observe(T0 + 5 * S, List.of(plugin("a", "RUNNING", T0 - 60 * S, 0)));
        assertThat(done).singleElement().satisfies(s -> {
            assertThat(s.start()).isEqualTo(Instant.ofEpochMilli(T0));
            assertThat(s.share()).isEqualTo(1.0);
        });
    }

    @Test
    void downtimeIsWeightedByTimeFromTheStateChangesNotBySamples() {
        Uptime u = new Uptime(5 * S, "core");
        u.observe(T0, List.of(plugin("a", "RUNNING", T0 - 60 * S, 0), plugin("b", "RUNNING", T0 - 60 * S, 0)));
        // b fails at 1 s, seen RESTARTING at 3 s; back RUNNING at 4 s, seen at 5 s
        u.observe(T0 + 3 * S, List.of(plugin("a", "RUNNING", T0 - 60 * S, 0), plugin("b", "RESTARTING", T0 + S, 0)));
        List<Uptime.Slice> done = u.observe(T0 + 5 * S,
                List.of(plugin("a", "RUNNING", T0 - 60 * S, 0), plugin("b", "RUNNING", T0 + 4 * S, 1)));
        assertThat(shares(done)).containsExactly(2.0 / 5);   // up [0,1) and [4,5)
    }

    @Test
    void theCoreItselfIsNotWatched() {
        Uptime u = new Uptime(5 * S, "core");
        u.observe(T0, List.of(plugin("core", "STARTING", T0, 0)));
        assertThat(shares(u.observe(T0 + 5 * S, List.of(plugin("core", "STARTING", T0, 0))))).containsExactly(1.0);
    }

    @Test
    void aRestartNeverSeenCountsAsDownSinceThePreviousObservation() {
        Uptime u = new Uptime(5 * S, "core");
        u.observe(T0, List.of(plugin("a", "RUNNING", T0 - 60 * S, 0)));
        // a went down and came back at 3 s, all between two observations: when it left is unknown
        assertThat(shares(u.observe(T0 + 5 * S, List.of(plugin("a", "RUNNING", T0 + 3 * S, 1))))).containsExactly(2.0 / 5);
    }

    @Test
    void aLongGapCompletesEverySliceInItWithTheStateAtEachMoment() {
        Uptime u = new Uptime(5 * S, "core");
        u.observe(T0 + 2 * S, List.of(plugin("a", "RUNNING", T0, 0)));
        // a failed at 7 s and is still down at 16 s
        List<Uptime.Slice> done = u.observe(T0 + 16 * S, List.of(plugin("a", "FAILED", T0 + 7 * S, 0)));
        assertThat(done).extracting(Uptime.Slice::start).containsExactly(
                Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 5 * S), Instant.ofEpochMilli(T0 + 10 * S));
        assertThat(shares(done)).as("the first slice was observed from 2 s only").containsExactly(1.0, 2.0 / 5, 0.0);
    }

    @Test
    void aSliceLengthThatDoesNotDivideTheHourIsRefused() {
        assertThatThrownBy(() -> new Uptime(7 * S, "core")).hasMessageContaining("divide one hour");
    }
}
