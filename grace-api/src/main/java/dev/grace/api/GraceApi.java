package dev.grace.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the grace-api a plugin was compiled against, and the range a new plugin asks for by default. */
public final class GraceApi {

    private static final String VERSION = readVersion();

    private GraceApi() {
    }

    /** This grace-api's version, for example {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return VERSION;
    }

    /**
     * The range a plugin declares when it says nothing: this API's major.minor up to the next major,
     * for example {@code [0.1,1)} — the usual semantic-versioning promise.
     */
    public static String defaultRange() {
        String[] parts = VERSION.split("[.-]");
        int major = Integer.parseInt(parts[0]);
        String minor = parts.length > 1 ? parts[1] : "0";
        return "[" + major + "." + minor + "," + (major + 1) + ")";
    }

    private static String readVersion() {
        try (InputStream in = GraceApi.class.getResourceAsStream("grace-api.properties")) {
            if (in == null) {
                throw new IllegalStateException("grace-api.properties is missing from the grace-api jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read grace-api.properties", e);
        }
    }
}
