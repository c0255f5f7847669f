package dev.grace.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread interrupted while it reads the store file (a plugin thread stopped by {@code shutdownNow()}
 * in the middle of a {@code RuntimeView} read) must not take the file away from the writer: with a
 * plain {@code FileChannel}, Java closes the channel for every thread on such an interrupt, MVStore's
 * background write fails and commits made since its last save are gone when the file is reopened.
 */
class InterruptedReaderTest {

    @TempDir
    Path dir;

    @Test
    void commitsSurviveAReaderThreadInterruptedInTheMiddleOfItsReads() throws Exception {
        int rows = 30_000;
        SharedH2File file = new SharedH2File(dir.resolve("grace"), 5_000);
        try (Connection c = file.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(1000))");
        }
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try (Connection c = file.getConnection(); Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT SUM(LENGTH(pad)) FROM t")) {
                    r.next();
                } catch (Exception interruptedOrClosed) {
                    Thread.interrupted(); // a plugin thread would be gone; this one reads again
                }
            }
        }, "reader");
        reader.start();
        try (Connection c = file.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            for (int i = 0; i < rows; i++) {
                insert.setInt(1, i);
                insert.setString(2, "x".repeat(900) + i);
                try {
                    insert.executeUpdate();
                } catch (Exception e) {
                    throw new AssertionError("insert " + i + " failed after the reader was interrupted", e);
                }
                if (i % 50 == 0) {
                    reader.interrupt();
                }
            }
        } finally {
            done.set(true);
            reader.interrupt();
            reader.join();
            file.close();
        }
        SharedH2File again = new SharedH2File(dir.resolve("grace"), 5_000);
        try (Connection c = again.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM t")) {
            r.next();
            assertThat(r.getInt(1)).as("rows after reopening the file").isEqualTo(rows);
        } finally {
            again.close();
        }
    }
}
