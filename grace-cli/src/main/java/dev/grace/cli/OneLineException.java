package dev.grace.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %oneLineEx}: an event's exception as one line, {@code " (RootClass: root message)"}, at INFO
 * and above; the whole stack trace at DEBUG and TRACE. For libraries that attach the driver's stack trace
 * to every WARN of a condition Grace already reports once (HikariCP during a database outage: each
 * broken connection, each failed validation), so that an outage stays a handful of lines (issue 14).
 */
public final class OneLineException extends ThrowableHandlingConverter {

    private final ThrowableProxyConverter full = new ThrowableProxyConverter();

    @Override
    public void start() {
        full.setContext(getContext());
        full.start();
        super.start();
    }

    @Override
    public void stop() {
        full.stop();
        super.stop();
    }

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy t = event.getThrowableProxy();
        if (t == null) {
            return "";
        }
        if (!event.getLevel().isGreaterOrEqual(Level.INFO)) {
            return System.lineSeparator() + full.convert(event);
        }
        IThrowableProxy root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name = root.getClassName().substring(root.getClassName().lastIndexOf('.') + 1);
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        return " (" + name + message + ")";
    }
}
