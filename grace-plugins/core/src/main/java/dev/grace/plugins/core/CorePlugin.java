package dev.grace.plugins.core;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginConfigException;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import dev.grace.api.RuntimeView;
import dev.grace.api.RuntimeView.PluginView;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * The core domain's plugin: the runtime watching itself, through the read-only {@link RuntimeView}
 * every plugin may be given. Every {@code interval} it observes the plugins' states, restarts and
 * vetting warnings, the publishing totals and the store's persistence latency, and publishes:
 *
 * <ul>
 *   <li>{@code uptime} — per slice of {@code interval} (aligned to the hour), the share of it during
 *       which every other plugin was RUNNING, integrated over time from each plugin's
 *       {@code stateSince} (see {@link Uptime});</li>
 *   <li>{@code healing_actions} — supervised restarts since the previous observation;</li>
 *   <li>{@code verification_failures} — values the runtime's publishers rejected since the previous
 *       observation, other than core's own;</li>
 *   <li>{@code rejection_rate} — those rejected values / the values other plugins published (accepted
 *       or rejected) since the previous observation; nothing when they published none;</li>
 *   <li>{@code event_bus_latency} — mean seconds from publishing a value to its raw event being
 *       committed to the store, over the events committed since the previous observation; nothing
 *       when none were (no store, raw events off, or idle);</li>
 *   <li>{@code governance_score} — the share of loaded plugins that carry no vetting warning (not
 *       health-bearing: fixed at load time).</li>
 * </ul>
 *
 * <p>Config ({@code plugins.core.*}): {@code interval} ({@code 5s}; must divide one hour). See
 * {@code docs/plugins.md}.
 */
public final class CorePlugin implements DomainPlugin {

    static final Kpi UPTIME = Kpi.builder("uptime", Kpi.Unit.RATIO).healthBearing().target(1.0)
            .mayBeConstant()    // a runtime whose plugins never go down is at 1.0 for good, and healthy
            .description("Share of each interval-long slice, aligned to the hour, with every other plugin RUNNING;"
                    + " time-weighted from the plugins' state changes")
            .build();
    static final Kpi HEALING_ACTIONS = Kpi.builder("healing_actions", Kpi.Unit.COUNT).lowerIsBetter()
            .description("Supervised restarts of any plugin since the previous observation").build();
    /**
     * Not health-bearing: cognition scores a lower-is-better count only against a target above 0, so a
     * count with target 0 never entered health; {@link #REJECTION_RATE} carries it as a share instead.
     */
    static final Kpi VERIFICATION_FAILURES = Kpi.builder("verification_failures", Kpi.Unit.COUNT).lowerIsBetter()
            .target(0)
            .description("Values rejected by the publishers of other plugins since the previous observation").build();
    static final Kpi REJECTION_RATE = Kpi.builder("rejection_rate", Kpi.Unit.RATIO).lowerIsBetter().healthBearing()
            .mayBeConstant()    // plugins that publish nothing invalid keep it at 0, the healthy value
            .description("Values the publishers of other plugins rejected / values they were given, since the"
                    + " previous observation; nothing when they were given none").build();
    static final Kpi EVENT_BUS_LATENCY = Kpi.builder("event_bus_latency", Kpi.Unit.SECONDS).lowerIsBetter()
            .description("Mean seconds from publish to the raw event's commit in the store, over the events"
                    + " committed since the previous observation").build();
    /**
     * Not health-bearing: vetting warnings are fixed when a jar is loaded and classpath plugins carry
     * none, so over a runtime's life the value cannot move, and with no jars it is 1.0 by construction.
     * It describes what was installed, not how well the runtime is working.
     */
    static final Kpi GOVERNANCE_SCORE = Kpi.builder("governance_score", Kpi.Unit.RATIO)
            .description("Loaded plugins without vetting warnings / loaded plugins").build();

    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private RuntimeView runtime;
    private MetricPublisher publisher;
    private Clock clock;
    private Uptime uptime;
    private long sliceMillis;
    /** Totals at the previous observation; -1 before the first. */
    private long lastRestarts = -1;
    private long lastRejected = -1;
    private long lastAccepted = -1;
    /** Core's own rejected and accepted values, counted from its publisher's answers, and those counts at the previous observation. */
    private long ownRejected;
    private long lastOwnRejected;
    private long ownAccepted;
    private long lastOwnAccepted;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("core").domain("core").version("0.1.0").apiRange("[0.1,1)")
                .description("The runtime watching itself: uptime, healing, rejections, persistence latency, vetting")
                .build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(UPTIME, HEALING_ACTIONS, VERIFICATION_FAILURES, REJECTION_RATE, EVENT_BUS_LATENCY,
                GOVERNANCE_SCORE);
    }

    @Override
    public void start(PluginContext context) {
        Duration interval = context.config().duration("interval", Duration.ofSeconds(5));
        if (interval.toMillis() <= 0 || HOUR_MILLIS % interval.toMillis() != 0) {
            throw new PluginConfigException("plugin core: config key plugins.core.interval must be a duration that"
                    + " divides one hour evenly (such as 5s, 10s, 1m), got \"" + context.config().string("interval").orElse("")
                    + "\"");
        }
        runtime = context.runtime();
        publisher = context.publisher();
        clock = context.clock();
        sliceMillis = interval.toMillis();
        uptime = new Uptime(sliceMillis, context.info().id());
        lastRestarts = -1;
        lastRejected = -1;
        lastAccepted = -1;
        ownRejected = 0;
        lastOwnRejected = 0;
        ownAccepted = 0;
        lastOwnAccepted = 0;
        context.scheduler().scheduleWithFixedDelay(this::observe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One observation of the runtime: reads the view once and publishes what changed since the previous one. */
    private void observe() {
        long now = clock.millis();
        List<PluginView> plugins = runtime.plugins();
        RuntimeView.PublishCounts counts = runtime.publishing();
        long rejected = counts.rejected();
        long accepted = counts.accepted();
        long own = ownRejected;     // core's values up to this read are in the totals just read
        long ownOk = ownAccepted;

        long hour = Math.floorDiv(now, HOUR_MILLIS);
        for (Uptime.Slice s : uptime.observe(now, plugins)) {
            // A slice goes to the hour it belongs to. Only one finished in an earlier hour is stamped with
            // its own time (its last millisecond): the store measures persistence latency from the event
            // time, so stamping every slice would add its age to event_bus_latency.
            long end = s.start().toEpochMilli() + sliceMillis;
            record(UPTIME, s.share(), Math.floorDiv(end - 1, HOUR_MILLIS) == hour ? null : Instant.ofEpochMilli(end - 1));
        }

        long restarts = 0;
        int loaded = 0;
        int clean = 0;
        for (PluginView p : plugins) {
            restarts += p.restarts();
            if (!p.domain().isEmpty()) {    // it declared itself: the runtime loaded it
                loaded++;
                if (p.warnings().isEmpty()) {
                    clean++;
                }
            }
        }
        if (lastRestarts >= 0) {
            // a restarted plugin's publisher starts its counts afresh, so a total may shrink: never negative
            record(HEALING_ACTIONS, Math.max(0, restarts - lastRestarts), null);
            long bad = Math.max(0, rejected - lastRejected - (own - lastOwnRejected));
            long good = Math.max(0, accepted - lastAccepted - (ownOk - lastOwnAccepted));
            record(VERIFICATION_FAILURES, bad, null);
            if (bad + good > 0) {
                record(REJECTION_RATE, (double) bad / (bad + good), null);
            }
        }
        lastRestarts = restarts;
        lastRejected = rejected;
        lastAccepted = accepted;
        lastOwnRejected = own;
        lastOwnAccepted = ownOk;

        OptionalDouble latency = runtime.persistLatencySeconds();
        if (latency.isPresent()) {
            record(EVENT_BUS_LATENCY, latency.getAsDouble(), null);
        }
        if (loaded > 0) {
            record(GOVERNANCE_SCORE, (double) clean / loaded, null);
        }
    }

    private void record(Kpi kpi, double value, Instant at) {
        boolean accepted = at == null ? publisher.record(kpi, value) : publisher.record(kpi, value, at, null);
        if (accepted) {
            ownAccepted++;
        } else {
            ownRejected++;
        }
    }
}
