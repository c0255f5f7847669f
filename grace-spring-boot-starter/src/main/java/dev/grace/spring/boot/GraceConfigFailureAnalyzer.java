package dev.grace.spring.boot;

import dev.grace.runtime.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bad {@code grace.*} property into Spring Boot's startup report: the one line Grace's
 * configuration gives (source, key, what is wrong), and what to do.
 */
final class GraceConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        String what = cause.key() == null ? "the grace.* properties"
                : "the property '" + GraceProperties.PREFIX + cause.key() + "'";
        return new FailureAnalysis("Grace's configuration is invalid: " + cause.getMessage(),
                "Correct or remove " + what + ". The grace.* properties take the keys of grace.yaml"
                        + " (see Grace's docs/configuration.md).", cause);
    }
}
