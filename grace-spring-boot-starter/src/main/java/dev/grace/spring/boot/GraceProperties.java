package dev.grace.spring.boot;

import dev.grace.runtime.config.ConfigLoader;
import dev.grace.runtime.config.GraceConfig;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Grace's configuration from the Spring environment: every property under {@code grace.},
 * with the prefix taken off, is a key of {@code grace.yaml} and goes through the same
 * {@link ConfigLoader}, so unknown keys and bad values fail with the same one-line
 * {@code ConfigException}. Kebab-case segments are read as the YAML's camelCase
 * ({@code grace.publisher.lateness-limit} is {@code publisher.latenessLimit}).
 */
final class GraceProperties {

    static final String PREFIX = "grace.";
    static final String SOURCE = "Spring property";
    /**
     * Reserved for the switches of Grace's own build ({@code -Dgrace.test.postgres.url=...}), which
     * Maven hands to every test JVM as system properties: not configuration, so not read.
     */
    static final String RESERVED = "grace.test.";

    private GraceProperties() {
    }

    /**
     * The {@code GRACE_*} variables are the environment's own ({@link ConfigurableEnvironment#getSystemEnvironment()},
     * {@code System.getenv()} unless an application's environment says otherwise); a {@code grace.*}
     * property wins over them.
     */
    static GraceConfig load(ConfigurableEnvironment environment) {
        Map<String, String> env = new TreeMap<>();
        environment.getSystemEnvironment().forEach((name, value) -> env.put(name, String.valueOf(value)));
        return ConfigLoader.create().env(env).overrides(SOURCE, keys(environment)).load();
    }

    /** The {@code grace.*} properties, as Grace's keys. */
    static Map<String, String> keys(ConfigurableEnvironment environment) {
        Map<String, String> out = new TreeMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> e) {
                for (String name : e.getPropertyNames()) {
                    if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !name.startsWith(RESERVED)) {
                        String key = camelCase(name.substring(PREFIX.length()));
                        // the first source holding a key wins, as in Spring's own resolution
                        out.computeIfAbsent(key, k -> environment.getProperty(name));
                    }
                }
            }
        }
        return out;
    }

    static String camelCase(String key) {
        StringBuilder out = new StringBuilder(key.length());
        boolean upper = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
