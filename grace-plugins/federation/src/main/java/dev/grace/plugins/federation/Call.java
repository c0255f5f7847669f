package dev.grace.plugins.federation;

import java.util.OptionalDouble;

/**
 * The outcome of one call through a {@link Connector}.
 *
 * @param connector the connector's name
 * @param outcome   what happened
 * @param attempts  requests sent (0 when the breaker refused the call)
 * @param latency   seconds from sending the successful request to having its whole response; empty unless it succeeded
 * @param cause     why the last attempt failed, in one line; empty when it succeeded
 */
public record Call(String connector, Outcome outcome, int attempts, OptionalDouble latency, String cause) {

    /** What happened to a call. */
    public enum Outcome {
        /** A request got a 2xx response. */
        SUCCEEDED,
        /** Every attempt failed: no response in time, no connection, or a status outside 2xx. */
        FAILED,
        /** The breaker was open, so no request was sent. */
        REFUSED
    }

    /** Whether it succeeded. */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }
}
