package dev.grace.cognition;

import dev.grace.runtime.config.GraceConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The guard on the embedded default: an H2 file. */
class H2GuardTest extends GuardContract {

    @Override
    GraceConfig.Store store() {
        return GraceConfig.Store.defaults().withUrl("jdbc:h2:file:" + dir.resolve("db/grace") + ";AUTO_SERVER=TRUE");
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(store().url());
    }
}
