package dev.grace.runtime.internal.publish;

import dev.grace.runtime.RawEvent;
import dev.grace.runtime.RawEventSink;

import java.util.Collections;
import java.util.List;

/**
 * Hands every raw-event batch to several sinks (the store first, then the host's own). Every sink gets
 * every batch: a {@link RawEventColumnSink} the columns, a plain sink one list of {@link RawEvent}s
 * made once per batch for all of them. The first failure is rethrown after all were tried, so the
 * batch counts as dropped while a sink that works still receives it.
 */
public final class RawEventFanOut implements RawEventColumnSink {

    private final List<RawEventSink> sinks;

    public RawEventFanOut(List<RawEventSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void accept(RawEventColumns batch) throws Exception {
        Exception first = null;
        List<RawEvent> list = null;
        for (RawEventSink s : sinks) {
            try {
                if (s instanceof RawEventColumnSink columns) {
                    columns.accept(batch);
                } else {
                    if (list == null) {
                        list = Collections.unmodifiableList(batch.events(0, batch.size()));
                    }
                    s.accept(list);
                }
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void closing() {
        sinks.forEach(RawEventSink::closing);
    }
}
