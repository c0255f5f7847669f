package dev.grace.store;

import dev.grace.runtime.TestPostgres;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The store's contract on a real PostgreSQL server ({@link TestPostgres}, {@code .ci/run} starts
 * one). Each test gets a schema of its own. Without the server these tests are skipped, and say so.
 */
class PostgresStoreTest extends StoreContract {

    private String url;

    @BeforeEach
    void freshSchema() throws SQLException {
        url = TestPostgres.freshSchema("grace_test");
    }

    @Override
    GraceConfig.Store store() {
        return GraceConfig.Store.defaults().withUrl(url);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(store().url());
    }
}
