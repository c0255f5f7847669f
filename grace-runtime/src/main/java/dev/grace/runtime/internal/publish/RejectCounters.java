package dev.grace.runtime.internal.publish;

import dev.grace.api.RejectReason;
import dev.grace.runtime.internal.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One plugin's rejections, counted per reason, with at most one warning per reason per minute
 * (saying how many were suppressed since the last one), so a plugin stuck in a loop of bad values
 * cannot flood the log.
 */
public final class RejectCounters {

    private static final Logger LOG = LoggerFactory.getLogger("grace.publisher");
    private static final RejectReason[] REASONS = RejectReason.values();

    private final String pluginId;
    private final MinuteMark minute;
    private final LongAdder[] counts = new LongAdder[REASONS.length];
    private final AtomicLong[] lastWarned = new AtomicLong[REASONS.length];
    private final LongAdder[] suppressed = new LongAdder[REASONS.length];
    private final LongAdder rawDropped = new LongAdder();

    RejectCounters(String pluginId, MinuteMark minute) {
        this.pluginId = pluginId;
        this.minute = minute;
        for (int i = 0; i < REASONS.length; i++) {
            counts[i] = new LongAdder();
            lastWarned[i] = new AtomicLong(Long.MIN_VALUE);
            suppressed[i] = new LongAdder();
        }
    }

    void count(RejectReason reason, String kpi, double value) {
        int i = reason.ordinal();
        counts[i].increment();
        long now = minute.get();
        long last = lastWarned[i].get();
        if (now != last && lastWarned[i].compareAndSet(last, now)) {
            long skipped = suppressed[i].sumThenReset();
            // the KPI name may come from an HTTP client and the id from a plugin: neither may end the line
            LOG.warn("plugin {} published a value that was rejected ({}): kpi={} value={}{}", LogText.escape(pluginId),
                    reason, LogText.escape(kpi), value, skipped == 0 ? "" : " (" + skipped + " more " + reason + " since the last warning)");
        } else {
            suppressed[i].increment();
        }
    }

    void countRawDropped() {
        rawDropped.increment();
    }

    /** Rejections so far by reason; reasons never seen are absent. */
    public Map<RejectReason, Long> byReason() {
        Map<RejectReason, Long> out = new EnumMap<>(RejectReason.class);
        for (int i = 0; i < REASONS.length; i++) {
            long n = counts[i].sum();
            if (n > 0) {
                out.put(REASONS[i], n);
            }
        }
        return out;
    }

    public long rawDropped() {
        return rawDropped.sum();
    }
}
