package dev.grace.runtime.internal.publish;

import dev.grace.runtime.RawEvent;
import dev.grace.runtime.RawEventSink;

import java.util.List;

/**
 * Hands every raw-event batch to several sinks (the store first, then the host's own). Every sink gets
 * every batch; the first failure is rethrown after all were tried, so the batch counts as dropped
 * while a sink that works still receives it.
 */
public final class RawEventFanOut implements RawEventSink {

    private final List<RawEventSink> sinks;

    public RawEventFanOut(List<RawEventSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void accept(List<RawEvent> batch) throws Exception {
        Exception first = null;
        for (RawEventSink s : sinks) {
            try {
                s.accept(batch);
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
