package dev.grace.store;

import dev.grace.runtime.config.GraceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The store's contract on the embedded default: an H2 file under the data directory. */
class H2StoreTest extends StoreContract {

    @Override
    GraceConfig.Store store() {
        // One file for the test, shared by every runtime the test starts (several data directories).
        return GraceConfig.Store.defaults().withUrl("jdbc:h2:file:" + dir.resolve("db/grace") + ";AUTO_SERVER=TRUE");
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(store().url());
    }
}
