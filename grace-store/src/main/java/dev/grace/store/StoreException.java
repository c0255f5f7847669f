package dev.grace.store;

/**
 * The store cannot be used as configured: a malformed JDBC URL, an unreachable database, a data
 * directory that cannot be written, a schema newer than this build. The message is one line that
 * names what was wrong and what would be right.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
