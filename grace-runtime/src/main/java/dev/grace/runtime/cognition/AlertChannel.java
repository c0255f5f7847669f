package dev.grace.runtime.cognition;

/**
 * Where alerts go. The runtime ships three — the log, a JSON-lines file and an HTTP webhook — and
 * a host may add its own with {@code GraceRuntime.Builder.alertChannel}. Which alert types reach
 * which built-in channel is configured under {@code cognition.*Alerts}.
 *
 * <p>{@link #send} runs on the cognition thread right after an hour's evaluation is committed: a
 * channel that talks to the network must hand the work to a thread of its own and return. An
 * exception is caught, logged and counted; it never stops evaluation.
 */
public interface AlertChannel {

    /** A short name for logs and counters, for example {@code webhook}. */
    String name();

    /** Delivers one alert. */
    void send(Alert alert) throws Exception;
}
