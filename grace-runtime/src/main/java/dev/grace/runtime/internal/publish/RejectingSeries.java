package dev.grace.runtime.internal.publish;

import dev.grace.api.Kpi;
import dev.grace.api.RejectReason;
import dev.grace.api.SeriesKey;

import java.util.Map;
import java.util.TreeMap;

/**
 * A series that could not be bound (an undeclared KPI or attribute key, a value the key does not
 * allow): every value recorded on it is refused and counted under the reason, as its publisher
 * counts any rejection.
 */
final class RejectingSeries implements Kpi.Series {

    private final SafePublisher publisher;
    private final Kpi kpi;
    private final Map<String, String> attributes;
    private final RejectReason reason;
    private final String label;

    RejectingSeries(SafePublisher publisher, Kpi kpi, Map<String, String> attributes, RejectReason reason) {
        this.publisher = publisher;
        this.kpi = kpi;
        this.attributes = displayCopy(attributes);
        this.reason = reason;
        this.label = label(kpi, this.attributes);
    }

    @Override
    public boolean record(double value) {
        return publisher.reject(reason, label, value);
    }

    @Override
    public Kpi kpi() {
        return kpi;
    }

    @Override
    public Map<String, String> attributes() {
        return attributes;
    }

    /** Why every value is refused. */
    RejectReason reason() {
        return reason;
    }

    /** {@code kpi{key=value,...}}, for the rejection's log line. */
    static String label(Kpi kpi, Map<String, String> attributes) {
        String name = kpi == null ? "null" : kpi.name();
        Map<String, String> shown = displayCopy(attributes);
        return shown.isEmpty() ? name : name + "{" + SeriesKey.of(shown) + "}";
    }

    /** What can be read of the set, for display: null keys and values shown as "null". */
    private static Map<String, String> displayCopy(Map<String, String> attributes) {
        Map<String, String> copy = new TreeMap<>();
        if (attributes != null) {
            try {
                attributes.forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
            } catch (RuntimeException hostileOrConcurrent) {
                // shown as far as it could be read
            }
        }
        return java.util.Collections.unmodifiableMap(copy);
    }
}
