package dev.grace.runtime.internal.publish;

import dev.grace.runtime.RawEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A batch of raw events as columns: what the raw-event thread drained from the ring, read by index
 * without a {@link RawEvent} object per event. The store's writer consumes batches in this form
 * ({@link RawEventColumnSink}), so draining allocates nothing for it.
 *
 * <p><b>Valid only during the call it is passed to.</b> The raw-event thread reuses the columns for
 * the next batch as soon as the sink returns: a sink must copy what it keeps (a sink that retries
 * holds the thread, and so the batch, until it returns). Rows are {@code 0 .. size() - 1}, in the
 * order the ring handed them over. The string columns return the accumulator's own strings (no copy);
 * a KPI series (its own accumulator) will add its attributes as one more column.
 */
public interface RawEventColumns {

    /** How many events the batch holds. */
    int size();

    /** The publishing plugin (or {@code http:<domain>} publisher) of row {@code i}. */
    String pluginId(int i);

    /** The domain of row {@code i}. */
    String domain(int i);

    /** The KPI's name of row {@code i}. */
    String kpi(int i);

    /** The value of row {@code i}. */
    double value(int i);

    /** The event time of row {@code i}: the time of publishing unless the plugin gave one. */
    long epochMillis(int i);

    /** The metadata of row {@code i}, an immutable map; {@code null} when the event has none (no empty map is made). */
    Map<String, String> metadata(int i);

    /** Row {@code i} as a {@link RawEvent}; allocates, so for what is off the hot path (a lost batch, a host's sink). */
    default RawEvent event(int i) {
        Map<String, String> meta = metadata(i);
        return new RawEvent(pluginId(i), domain(i), kpi(i), value(i), epochMillis(i), meta == null ? Map.of() : meta);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a new list of {@link RawEvent}s; allocates. */
    default List<RawEvent> events(int from, int to) {
        List<RawEvent> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(event(i));
        }
        return out;
    }

    /** A list of events seen as columns (for a columnar sink handed a list). */
    static RawEventColumns of(List<RawEvent> events) {
        return new RawEventColumns() {
            @Override
            public int size() {
                return events.size();
            }

            @Override
            public String pluginId(int i) {
                return events.get(i).pluginId();
            }

            @Override
            public String domain(int i) {
                return events.get(i).domain();
            }

            @Override
            public String kpi(int i) {
                return events.get(i).kpi();
            }

            @Override
            public double value(int i) {
                return events.get(i).value();
            }

            @Override
            public long epochMillis(int i) {
                return events.get(i).epochMillis();
            }

            @Override
            public Map<String, String> metadata(int i) {
                Map<String, String> m = events.get(i).metadata();
                return m.isEmpty() ? null : m;
            }

            @Override
            public RawEvent event(int i) {
                return events.get(i);
            }
        };
    }
}
