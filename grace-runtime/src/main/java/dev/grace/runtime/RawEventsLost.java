package dev.grace.runtime;


import java.util.List;

/**
 * Thrown by a sink that wrote part of a batch and gives up on the rest (the store, closing while its
 * database stays down): the raw-event thread counts only {@link #events()} as lost, not the batch.
 */
public final class RawEventsLost extends RuntimeException {

    private final transient List<RawEvent> events;

    public RawEventsLost(String message, List<RawEvent> events, Throwable cause) {
        super(message, cause);
        this.events = List.copyOf(events);
    }

    /** The events not written. */
    public List<RawEvent> events() {
        return events;
    }
}
