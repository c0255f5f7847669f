package dev.grace.runtime.cognition;

import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cognition on a real PostgreSQL server, named by {@code -Dgrace.test.postgres.url} ({@code .ci/run}
 * starts one); a schema per test. Skipped, and saying so, without the property.
 */
class PostgresCognitionTest extends CognitionContract {

    static final String URL = System.getProperty("grace.test.postgres.url", "");
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private String schema;

    @BeforeEach
    void freshSchema() throws SQLException {
        assumeTrue(!URL.isBlank(), "PostgreSQL tests skipped: no -Dgrace.test.postgres.url=jdbc:postgresql://..."
                + " given (.ci/run starts a throw-away server and passes it; see README)");
        schema = "grace_cognition_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    @Override
    GraceConfig.Store store() {
        return GraceConfig.Store.defaults().withUrl(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(store().url());
    }
}
