package dev.grace.store;

/**
 * The store cannot be used as configured: a malformed JDBC URL, an unreachable database, a data
 * directory that cannot be written, a schema newer than this build. The message is one line that
 * names what was wrong and what would be right.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean unreachable;

    public StoreException(String message) {
        this(message, null, false);
    }

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private StoreException(String message, Throwable cause, boolean unreachable) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    /** The database could not be reached or opened as configured (the {@code grace} command exits 3). */
    public static StoreException unreachable(String message, Throwable cause) {
        return new StoreException(message, cause, true);
    }

    /**
     * Whether the database could not be reached, as opposed to being configured wrongly or refusing what
     * was asked; a retry later may succeed.
     */
    public boolean unreachable() {
        return unreachable;
    }
}
