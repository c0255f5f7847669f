package dev.grace.cognition.internal;

import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.AlertChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each alert to the log {@code grace.alerts}: losses, dips and guard flags as warnings, the rest as info. */
public final class LogAlertChannel implements AlertChannel {

    private static final Logger LOG = LoggerFactory.getLogger("grace.alerts");

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void send(Alert a) {
        boolean bad = a.type().equals("threshold_lost") || a.type().equals("domain_dip")
                || a.type().equals("guard_flag_raised") || a.type().equals("delivery_failed");
        if (bad) {
            LOG.warn("{} {}: {}", a.type(), a.subject(), a.message());
        } else {
            LOG.info("{} {}: {}", a.type(), a.subject(), a.message());
        }
    }
}
