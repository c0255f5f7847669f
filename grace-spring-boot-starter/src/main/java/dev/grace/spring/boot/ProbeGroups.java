package dev.grace.spring.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Puts Grace's indicator in Actuator's {@code readiness} group, beside Boot's own
 * {@code readinessState}, and leaves {@code liveness} to Boot's {@code livenessState} alone, unless
 * the application sets those groups itself (this source comes last).
 */
final class ProbeGroups implements EnvironmentPostProcessor {

    static final String READINESS = "management.endpoint.health.group.readiness.include";
    static final String LIVENESS = "management.endpoint.health.group.liveness.include";

    static final String PROBES = "management.endpoint.health.probes.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!probesEnabled(environment)) {
            return; // no livenessState to include: Boot's group validation would fail the start
        }
        environment.getPropertySources().addLast(new MapPropertySource("grace-probe-groups",
                Map.of(READINESS, "readinessState,grace", LIVENESS, "livenessState")));
    }

    /** As Boot decides whether it makes the probes: the property if set, else on Kubernetes or Cloud Foundry. */
    static boolean probesEnabled(ConfigurableEnvironment environment) {
        Boolean enabled = environment.getProperty(PROBES, Boolean.class);
        if (enabled != null) {
            return enabled;
        }
        CloudPlatform platform = CloudPlatform.getActive(environment);
        return platform == CloudPlatform.KUBERNETES || platform == CloudPlatform.CLOUD_FOUNDRY;
    }
}
