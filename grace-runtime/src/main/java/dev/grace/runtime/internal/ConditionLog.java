package dev.grace.runtime.internal;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * Logs one ongoing condition (the database is down, a webhook keeps failing) the way an operator
 * wants to read it: once at WARN when it starts, at most once a {@link #REPEAT} while it lasts with
 * how many failures there were since, and once at INFO when it clears. Never a stack trace at WARN:
 * the exception's one-line message goes in the line, the trace to DEBUG. A flood of failures from
 * one cause therefore costs a handful of lines however often the caller fails.
 *
 * <p>Thread-safe; each call holds a short monitor. Time comes from the injected clock, so tests move
 * it by hand.
 */
public final class ConditionLog {

    /** The shortest interval between two "still" lines of the same condition. */
    public static final Duration REPEAT = Duration.ofMinutes(1);

    private final Logger log;
    private final String condition;
    private final Clock clock;

    private boolean active;
    private long since;
    private long lastLogged;
    private long sinceLogged;
    private long total;

    /**
     * @param log       where the lines go
     * @param condition what is wrong, as the start of a sentence ("the store is unreachable")
     * @param clock     the runtime's clock
     */
    public ConditionLog(Logger log, String condition, Clock clock) {
        this.log = log;
        this.condition = condition;
        this.clock = clock;
    }

    /** One failure caused by the condition; logs only when it starts or a minute has passed. */
    public void failed(Throwable cause) {
        failed(oneLine(cause), cause);
    }

    /** One failure caused by the condition, said in words; {@code trace} goes to DEBUG when not null. */
    public void failed(String detail, Throwable trace) {
        String line = null;
        synchronized (this) {
            long now = clock.millis();
            total++;
            if (!active) {
                active = true;
                since = now;
                lastLogged = now;
                sinceLogged = 0;
                total = 1;
                line = condition + ": " + detail;
            } else {
                sinceLogged++;
                if (now - lastLogged >= REPEAT.toMillis()) {
                    line = condition + " for " + Durations.words(now - since) + " (" + sinceLogged
                            + " more failures since the last line): " + detail;
                    lastLogged = now;
                    sinceLogged = 0;
                }
            }
        }
        if (line != null) {
            log.warn(LogText.escape(line));
        }
        if (trace != null && log.isDebugEnabled()) {
            log.debug(LogText.escape(condition), trace);
        }
    }

    /** The condition is over (a call succeeded); logs once if it was on. */
    public void cleared() {
        String line;
        synchronized (this) {
            if (!active) {
                return;
            }
            active = false;
            line = condition + " no longer, after " + Durations.words(clock.millis() - since) + " and " + total
                    + (total == 1 ? " failure" : " failures");
        }
        log.info(LogText.escape(line));
    }

    /** Whether the condition is on. */
    public synchronized boolean active() {
        return active;
    }

    /** Since when it is on, in epoch millis on the clock; meaningful only while {@link #active()}. */
    public synchronized long since() {
        return since;
    }

    /** An exception as one line: its class and message, and the root cause's when it differs. */
    public static String oneLine(Throwable t) {
        if (t == null) {
            return "(no cause)";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = describe(t);
        return root == t ? first : first + "; caused by " + describe(root);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.strip());
    }

    /** Elapsed time in the words of a log line. */
    private static final class Durations {
        static String words(long millis) {
            if (millis < 1000) {
                return millis + " ms";
            }
            long s = millis / 1000;
            if (s < 120) {
                return s + " s";
            }
            long m = s / 60;
            return m < 120 ? m + " min" : m / 60 + " h " + m % 60 + " min";
        }
    }
}
