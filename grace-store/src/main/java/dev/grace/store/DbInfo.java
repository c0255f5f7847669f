package dev.grace.store;

import java.util.List;

/**
 * What {@code grace db info} shows.
 *
 * @param vendor        {@code H2} or {@code POSTGRESQL}
 * @param url           the JDBC URL without credentials
 * @param node          this configuration's node id
 * @param schemaVersion the schema version the database has ({@code none} when empty)
 * @param pending       migrations this build would apply
 * @param migrations    every migration known, one line each, with its state
 */
public record DbInfo(String vendor, String url, String node, String schemaVersion, int pending,
                     List<String> migrations) {

    public DbInfo {
        migrations = List.copyOf(migrations);
    }
}
