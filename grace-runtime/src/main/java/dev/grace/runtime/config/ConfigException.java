package dev.grace.runtime.config;

/**
 * The configuration cannot be used. The message is one line that names the source (the file, the
 * environment variable or the flag), the key's dotted path, what was expected and what was found:
 * <pre>{@code
 * config.yaml: publisher.latenessLimit: expected a duration such as 30s, 2h or PT2H, got "soon"
 * config.yaml: unknown key publisher.latnessLimit (known keys under publisher: latenessLimit, rawEvents, rawEventCapacity)
 * }</pre>
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String key;

    /**
     * @param source  where the value came from: a file path, an environment variable or a flag
     * @param key     the dotted key, or null when the problem is not about one key (an unreadable file)
     * @param message the whole one-line message, starting with the source
     */
    public ConfigException(String source, String key, String message) {
        super(message);
        this.source = source;
        this.key = key;
    }

    /** A message of the usual form {@code <source>: <key>: <problem>}. */
    static ConfigException at(String source, String key, String problem) {
        return new ConfigException(source, key, source + ": " + key + ": " + problem);
    }

    /** A message about the source as a whole, {@code <source>: <problem>}. */
    static ConfigException in(String source, String problem) {
        return new ConfigException(source, null, source + ": " + problem);
    }

    /** Where the offending value came from: a file path, an environment variable name or a flag. */
    public String source() {
        return source;
    }

    /** The dotted key the problem is about, or null when it is about a whole source. */
    public String key() {
        return key;
    }
}
