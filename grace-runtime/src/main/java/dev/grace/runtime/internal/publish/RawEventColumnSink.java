package dev.grace.runtime.internal.publish;

import dev.grace.runtime.RawEvent;
import dev.grace.runtime.RawEventSink;
import dev.grace.runtime.RawEventsLost;

import java.util.List;

/**
 * A raw-event sink that takes each batch as {@link RawEventColumns}, the columns the raw-event thread
 * drained the ring into, so no {@link RawEvent} is made per event: the store's writer is one. Register
 * it as any {@link RawEventSink} (the runtime checks for this interface); a host's plain
 * {@code RawEventSink} keeps getting {@code List<RawEvent>}, built per batch.
 *
 * <p>Same contract as {@link RawEventSink#accept(List)}: called on the raw-event thread only, one
 * batch at a time; a sink that throws loses the batch (counted as lost raw events per plugin), one
 * that throws {@link RawEventsLost} loses only the events it names. The columns are reused after the
 * call returns.
 */
public interface RawEventColumnSink extends RawEventSink {

    /** Takes a batch; valid only until this returns. */
    void accept(RawEventColumns batch) throws Exception;

    /** A list handed to this sink (by a caller that has one) goes through {@link #accept(RawEventColumns)}. */
    @Override
    default void accept(List<RawEvent> batch) throws Exception {
        accept(RawEventColumns.of(batch));
    }
}
