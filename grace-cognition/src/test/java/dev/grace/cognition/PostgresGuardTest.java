package dev.grace.cognition;

import dev.grace.runtime.TestPostgres;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The guard on a real PostgreSQL server ({@link TestPostgres}); a schema per test. */
class PostgresGuardTest extends GuardContract {

    private String url;

    @BeforeEach
    void freshSchema() throws SQLException {
        url = TestPostgres.freshSchema("grace_guard");
    }

    @Override
    GraceConfig.Store store() {
        return GraceConfig.Store.defaults().withUrl(url);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }
}
