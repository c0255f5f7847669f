package dev.grace.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Switches Logback between its two configurations: {@code logback.xml} (concise text, the default
 * Logback picks up by itself) and {@code logback-json.xml} (JSON lines for log shippers). Both write
 * to stderr, so that stdout carries only the command's output.
 */
final class Logging {

    static final String TEXT = "logback.xml";
    static final String JSON = "logback-json.xml";

    private Logging() {
    }

    /** Reconfigures Logback from a resource on the classpath, replacing every appender. */
    static void configure(String resource) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // embedded with another SLF4J backend: its owner configures it
        }
        URL url = Logging.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is missing from the grace-cli jar");
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            configurator.doConfigure(url);
        } catch (JoranException e) {
            // Logback records the details in its status list, printed just below.
        }
        new StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
    }
}
