package dev.grace.runtime.internal.discovery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What a plugin jar says about itself in its manifest, readable before any of its classes load:
 * the API range and the dependencies are checked from here before the plugin is instantiated.
 *
 * <pre>
 * Grace-Plugin-Id: queue-watch
 * Grace-Api-Range: [0.1,1)
 * Grace-Requires: core [1.0,2.0), other
 * </pre>
 *
 * @param id       the plugin id the jar declares
 * @param apiRange the grace-api range; null when the manifest does not say
 * @param requires plugin id to version range ("" for any version), in declaration order
 * @param jar      the jar whose manifest said it
 */
public record PluginManifest(String id, String apiRange, Map<String, String> requires, Path jar) {

    public static final String ID = "Grace-Plugin-Id";
    public static final String API_RANGE = "Grace-Api-Range";
    public static final String REQUIRES = "Grace-Requires";

    public PluginManifest {
        requires = Collections.unmodifiableMap(new LinkedHashMap<>(requires));
    }

    /**
     * The first manifest among {@code jars} that has a {@code Grace-Plugin-Id}; null when none has.
     *
     * @throws IOException when a jar cannot be read
     * @throws IllegalArgumentException when {@code Grace-Requires} is malformed
     */
    public static PluginManifest read(List<Path> jars) throws IOException {
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile(), false)) {
                Manifest m = file.getManifest();
                if (m == null) {
                    continue;
                }
                Attributes a = m.getMainAttributes();
                String id = a.getValue(ID);
                if (id != null && !id.isBlank()) {
                    String requires = a.getValue(REQUIRES);
                    return new PluginManifest(id.strip(), a.getValue(API_RANGE),
                            requires == null ? Map.of() : parseRequires(requires), jar);
                }
            }
        }
        return null;
    }

    /**
     * Reads {@code "core [1.0,2.0), other"}: ids separated by commas, each optionally followed by a
     * range in brackets (whose own comma does not separate entries).
     */
    public static Map<String, String> parseRequires(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            int start = i;
            while (i < n && text.charAt(i) != ',' && text.charAt(i) != '[' && text.charAt(i) != '('
                    && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String id = text.substring(start, i);
            if (id.isEmpty()) {
                if (i < n) {
                    throw new IllegalArgumentException(REQUIRES + ": expected a plugin id at \"" + text.substring(i)
                            + "\" in \"" + text + "\"");
                }
                break;
            }
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String range = "";
            if (i < n && (text.charAt(i) == '[' || text.charAt(i) == '(')) {
                int open = i;
                while (i < n && text.charAt(i) != ']' && text.charAt(i) != ')') {
                    i++;
                }
                if (i == n) {
                    throw new IllegalArgumentException(REQUIRES + ": unclosed version range for " + id + " in \""
                            + text + "\"");
                }
                range = text.substring(open, ++i);
            }
            out.put(id, range);
        }
        return out;
    }
}
