package dev.grace.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The web dashboard's files, served from the jar (users may be offline: no CDN). Only the files
 * named here exist; a request names one of them or gets a 404, so no path reaches the file system.
 */
final class Dashboard {

    private static final String BASE = "dashboard/";
    /** The OpenAPI 3.1 description of the admin API, served as a fixed file like the dashboard's. */
    private static final String OPENAPI = "openapi.json";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "openapi.json", "application/json; charset=utf-8");

    private final Map<String, byte[]> files;

    Dashboard() {
        Map<String, byte[]> loaded = new HashMap<>();
        for (String name : TYPES.keySet()) {
            String resource = name.equals(OPENAPI) ? name : BASE + name;
            try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard file " + name + " is missing from the jar");
                }
                loaded.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.files = Map.copyOf(loaded);
    }

    /** Adds the dashboard's page and its files, and the API's OpenAPI document at /api/openapi.json. */
    void addTo(Router router) {
        router.get("/", r -> asset("index.html"))
                .get("/index.html", r -> asset("index.html"))
                .get("/assets/{file}", r -> asset(r.path("file")))
                .get("/api/openapi.json", r -> asset(OPENAPI));
    }

    Reply asset(String name) {
        byte[] body = files.get(name);
        if (body == null) {
            throw HttpError.notFound("no such dashboard file: " + name);
        }
        return new Reply(200, TYPES.get(name), body);
    }
}
