package dev.grace.runtime;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real PostgreSQL server the tests run against, named by {@code -Dgrace.test.postgres.url}
 * ({@code .ci/run} starts one). Without the property the tests that need it are skipped, and say so.
 */
public final class TestPostgres {

    public static final String URL = System.getProperty("grace.test.postgres.url", "");
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private TestPostgres() {
    }

    /**
     * Creates an empty schema of the test's own and returns the JDBC URL that works in it; skips
     * the test when no server was given.
     */
    public static String freshSchema(String prefix) throws SQLException {
        assumeTrue(!URL.isBlank(), "PostgreSQL tests skipped: no -Dgrace.test.postgres.url=jdbc:postgresql://..."
                + " given (.ci/run starts a throw-away server and passes it; see README)");
        String schema = prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
