package dev.grace.runtime.config;

/**
 * The admin HTTP server: the JSON API, the Prometheus endpoint and the dashboard. Off by default
 * for embedded hosts; {@code grace run} turns it on.
 *
 * @param enabled whether the runtime serves it (default false)
 * @param bind    {@code HOST:PORT} to listen on (default {@code 127.0.0.1:8470}); port 0 picks a free one
 * @param token   the bearer token every POST needs; null reads (or on first start writes) the file
 *                {@code <dataDir>/admin-token}
 */
public record HttpConfig(boolean enabled, String bind, String token) {

    /** Fills defaults. */
    public HttpConfig {
        bind = bind == null || bind.isBlank() ? "127.0.0.1:8470" : bind.strip();
        token = token == null || token.isBlank() ? null : token.strip();
    }

    /** Off, loopback port 8470, token from the data directory. */
    public static HttpConfig defaults() {
        return new HttpConfig(false, null, null);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "HttpConfig[enabled=" + enabled + ", bind=" + bind + ", token=" + (token == null ? null : "***") + ']';
    }
}
