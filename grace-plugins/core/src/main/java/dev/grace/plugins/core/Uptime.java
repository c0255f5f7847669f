package dev.grace.plugins.core;

import dev.grace.api.RuntimeView.PluginView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Integrates, over time, when every watched plugin was RUNNING, from successive observations of
 * the plugins' states and the moments they entered them ({@link PluginView#stateSince()}).
 *
 * <p>Time is cut into fixed slices aligned to the epoch (so to every hour, since the slice length
 * divides an hour). Each observation extends the observed timeline up to its instant; every slice
 * that observation completes yields its share of observed time with all plugins RUNNING. Equal
 * slices make the mean of an hour's values its time-weighted uptime.
 *
 * <p>Between two observations a plugin's state is reconstructed from the second one: in its
 * current state from {@code stateSince} on; before that, when the state changed, in the state the
 * first observation saw (one change at {@code stateSince}, which is exact when no state was entered
 * and left unobserved). When the plugin is in the same state as before but entered it again (it
 * left and came back between observations), the time before {@code stateSince} counts as not
 * running: core cannot know when it left, so uptime is then a lower bound. Observing at least as
 * often as the supervisor's shortest wait (half its backoff, which is jittered) keeps it exact.
 * The jitter moves when a restart really happens; uptime measures that, it draws nothing itself.
 */
final class Uptime {

    /** A completed slice: its start and the share of its observed time with every plugin RUNNING. */
    record Slice(Instant start, double share) {
    }

    private record Seen(String state, long since) {
        boolean running() {
            return "RUNNING".equals(state);
        }
    }

    private final long sliceMillis;
    private final String self;
    private final Map<String, Seen> last = new HashMap<>();
    /** End of the observed timeline; -1 before the first observation. */
    private long observedUntil = -1;
    private long sliceStart;
    private long sliceUp;
    private long sliceObserved;

    /**
     * @param sliceMillis the slice length; must divide one hour
     * @param self        the observer's own plugin id, left out: it runs whenever it observes
     */
    Uptime(long sliceMillis, String self) {
        if (sliceMillis <= 0 || 3_600_000L % sliceMillis != 0) {
            throw new IllegalArgumentException("slice length must divide one hour, got " + sliceMillis + " ms");
        }
        this.sliceMillis = sliceMillis;
        this.self = self;
    }

    /** Extends the timeline to {@code now} with what {@code plugins} says; returns the slices completed. */
    List<Slice> observe(long now, List<PluginView> plugins) {
        Map<String, Seen> current = new HashMap<>();
        for (PluginView p : plugins) {
            if (!p.id().equals(self)) {
                current.put(p.id(), new Seen(p.state(), p.stateSince().toEpochMilli()));
            }
        }
        List<Slice> done = new ArrayList<>();
        if (observedUntil < 0) {
            observedUntil = now;
            sliceStart = Math.floorDiv(now, sliceMillis) * sliceMillis;
        } else if (now > observedUntil) {
            integrate(observedUntil, now, current, done);
            observedUntil = now;
        }
        last.clear();
        last.putAll(current);
        return done;
    }

    private void integrate(long from, long to, Map<String, Seen> current, List<Slice> done) {
        TreeSet<Long> cuts = new TreeSet<>();
        cuts.add(from);
        cuts.add(to);
        for (Seen s : current.values()) {
            if (s.since() > from && s.since() < to) {
                cuts.add(s.since());
            }
        }
        for (long b = sliceStart + sliceMillis; b < to; b += sliceMillis) {
            if (b > from) {
                cuts.add(b);
            }
        }
        Long a = null;
        for (long b : cuts) {
            if (a != null) {
                if (allRunning(a, current)) {
                    sliceUp += b - a;
                }
                sliceObserved += b - a;
                if (b == sliceStart + sliceMillis) {
                    done.add(new Slice(Instant.ofEpochMilli(sliceStart), (double) sliceUp / sliceObserved));
                    sliceStart = b;
                    sliceUp = 0;
                    sliceObserved = 0;
                }
            }
            a = b;
        }
    }

    /** Whether every plugin was RUNNING from instant {@code t} until the next cut. */
    private boolean allRunning(long t, Map<String, Seen> current) {
        for (Map.Entry<String, Seen> e : current.entrySet()) {
            Seen now = e.getValue();
            boolean running;
            if (t >= now.since()) {
                running = now.running();
            } else {
                Seen before = last.get(e.getKey());
                // a changed state changed once, at since; an unchanged state with a new since left and came back unseen
                running = before != null && !before.state().equals(now.state()) && before.running();
            }
            if (!running) {
                return false;
            }
        }
        return true;
    }
}
