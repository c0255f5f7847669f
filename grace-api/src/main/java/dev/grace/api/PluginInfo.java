package dev.grace.api;

import org.jspecify.annotations.Nullable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a plugin declares about itself.
 *
 * @param id          unique plugin id, {@code [a-z][a-z0-9-]{0,63}}, for example {@code security-hunter}
 * @param domain      the domain the plugin publishes into, {@code [a-z][a-z0-9_]{0,63}}. Open-ended:
 *                    besides the reference domains (core, transcendence, security, knowledge, ml,
 *                    temporal, parliament, federation) a team may declare its own
 * @param version     the plugin's own version, for example {@code 1.2.0}
 * @param apiRange    the grace-api versions the plugin works with, as a Maven-style range such as
 *                    {@code [0.1,1.0)}; a single version {@code 0.1} means "0.1 or later"
 * @param description one line for people reading {@code grace plugins}; null is taken as empty
 * @param requires    the plugins this one needs, by id, each with the version range it accepts
 *                    ({@code ""} for any version), in declaration order. The runtime starts them
 *                    first and refuses this plugin when one is missing, out of range or failed; null
 *                    is taken as none, and a null range as any version
 */
public record PluginInfo(String id, String domain, String version, String apiRange, String description,
                         Map<String, String> requires) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /**
     * Validates every component; a bad declaration fails here, naming the field and the rule. Written
     * out rather than compact so that {@code description} and {@code requires} may be null here while
     * their accessors never return null.
     */
    public PluginInfo(String id, String domain, String version, String apiRange, @Nullable String description,
                      @Nullable Map<String, String> requires) {
        Objects.requireNonNull(id, "plugin id");
        if (!isValidId(id)) {
            throw new IllegalArgumentException(idProblem(id));
        }
        Objects.requireNonNull(domain, "domain of plugin " + id);
        if (!DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException(
                    "domain '" + domain + "' of plugin " + id + " must match " + DOMAIN.pattern());
        }
        this.id = id;
        this.domain = domain;
        this.version = requireText(version, "version", id);
        this.apiRange = requireText(apiRange, "apiRange", id);
        this.description = description == null ? "" : description;
        Map<String, String> deps = new LinkedHashMap<>();
        if (requires != null) {
            requires.forEach((dep, range) -> {
                if (dep == null || !isValidId(dep)) {
                    throw new IllegalArgumentException("plugin " + id + " requires '" + dep
                            + "', which is not a plugin id (" + ID.pattern() + ")");
                }
                deps.put(dep, range == null ? "" : range.strip());
            });
        }
        this.requires = Collections.unmodifiableMap(deps);
    }

    /**
     * Whether {@code id} is a valid plugin id, {@code [a-z][a-z0-9-]{0,63}}. The runtime applies the same
     * rule to a jar's {@code Grace-Plugin-Id} and {@code Grace-Requires} before loading it.
     *
     * @since 0.1
     */
    public static boolean isValidId(@Nullable String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Why {@code id} is not a valid plugin id, with the rule and a valid spelling of it, for example
     * {@code plugin id 'Acme_Inventory' must match [a-z][a-z0-9-]{0,63}, for example acme-inventory}.
     *
     * @since 0.1
     */
    public static String idProblem(String id) {
        String suggestion = id.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^[^a-z]+", "").replaceAll("-+$", "");
        if (suggestion.length() > 64) {
            suggestion = suggestion.substring(0, 64);
        }
        return "plugin id '" + id + "' must match " + ID.pattern()
                + (isValidId(suggestion) ? ", for example " + suggestion : "");
    }

    /** A declaration without dependencies. */
    public PluginInfo(String id, String domain, String version, String apiRange, @Nullable String description) {
        this(id, domain, version, apiRange, description, Map.of());
    }

    /** Starts a declaration: {@code PluginInfo.builder("my-plugin").domain("ml").version("1.0.0")...}. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    private static String requireText(@Nullable String value, String what, String id) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " of plugin " + id + " must not be blank");
        }
        return value.strip();
    }

    /** Fluent construction of a {@link PluginInfo}; {@code apiRange} defaults to {@link GraceApi#defaultRange()}. */
    public static final class Builder {
        private final String id;
        private String domain;
        private String version = "0.0.0";
        private String apiRange = GraceApi.defaultRange();
        private String description = "";
        private final Map<String, String> requires = new LinkedHashMap<>();

        private Builder(String id) {
            this.id = id;
        }

        /** The domain this plugin publishes into. */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** The plugin's own version. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** The grace-api version range this plugin needs, for example {@code [0.1,1.0)}. */
        public Builder apiRange(String apiRange) {
            this.apiRange = apiRange;
            return this;
        }

        /** One line describing the plugin. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * Another plugin this one needs, and the versions of it that will do, for example
         * {@code .requires("core", "[1.0,2)")}. It is started first; if it is missing, out of range
         * or fails, this plugin fails too, with that reason.
         */
        public Builder requires(String pluginId, String versionRange) {
            requires.put(pluginId, versionRange);
            return this;
        }

        /** Another plugin this one needs, in any version. */
        public Builder requires(String pluginId) {
            return requires(pluginId, "");
        }

        /** Validates and builds. */
        public PluginInfo build() {
            return new PluginInfo(id, domain, version, apiRange, description, requires);
        }
    }
}
