package dev.grace.store.internal;

import org.h2.api.ErrorCode;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The default store's H2 file, shared with other processes (so that {@code grace rollups} reads while
 * {@code grace run} holds it) the way H2's {@code AUTO_SERVER} shares a file, but opened with
 * {@code DB_CLOSE_ON_EXIT=FALSE}, which H2 refuses together with {@code AUTO_SERVER}: without H2's
 * own shutdown hook, the runtime closes the store in order even on {@code System.exit}.
 *
 * <p>The first to open the file opens it embedded and serves it: an H2 TCP server that accepts local
 * connections only, knows no database but this file under a random key ({@code -key}, {@code
 * -ifExists}), and whose port and key are in {@code <file>.server} next to the database, readable by
 * the owner only. Everyone else who finds the file locked connects through that address, in this JVM
 * or another; when the server goes away (its process closed the store or died) the next connection
 * opens the file and serves it in turn.
 */
final class SharedH2File implements DataSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedH2File.class);
    /** How long to wait between finding the file locked and looking for its server again. */
    private static final long RETRY_MILLIS = 50;
    /**
     * H2 shares an open file among everyone in a JVM, so who serves it is decided JVM-wide: otherwise
     * two stores of one JVM could both open it (H2 lets them) and both write an address.
     */
    private static final Object SERVING = new Object();

    private final Path file;
    private final Path addressFile;
    private final long timeoutMillis;
    /** This instance's server while it serves the file; null otherwise. */
    private Served served;

    /** A server this instance started, and the connection that keeps the file open while it serves. */
    private record Served(Server server, String key, Connection anchor) {
    }

    /**
     * @param file          the database without H2's {@code .mv.db} suffix
     * @param timeoutMillis how long a connection may wait for the file or its server
     */
    SharedH2File(Path file, long timeoutMillis) {
        this.file = file.toAbsolutePath().normalize();
        this.addressFile = this.file.resolveSibling(this.file.getFileName() + ".server");
        this.timeoutMillis = timeoutMillis;
    }

    /** The file's URL, for messages: what the runtime and every reader open. */
    String url() {
        return "jdbc:h2:file:" + file;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(null, null);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            SQLException refused;
            synchronized (SERVING) {
                if (served != null) {
                    return embedded(user, password);
                }
            }
            Address address = readAddress();
            if (address != null) {
                try {
                    return DriverManager.getConnection(address.url(), credentials(user, password));
                } catch (SQLException e) {
                    refused = e; // a server gone (stale address), or stopping: the file may be free
                }
            }
            synchronized (SERVING) {
                Address now = readAddress();
                if (now == null || now.equals(address)) {
                    try {
                        return serve(user, password);
                    } catch (SQLException e) {
                        if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) {
                            throw e;
                        }
                        refused = e; // another process holds the file and has not written its address yet
                    }
                } else {
                    continue; // someone else started serving meanwhile
                }
            }
            if (System.nanoTime() > deadline) {
                throw refused;
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the store file " + file, e);
            }
        }
    }

    /**
     * The file as this process opens it: through H2's {@code async:} file system, whose
     * {@code AsynchronousFileChannel} an interrupt does not close. With the default {@code FileChannel},
     * one thread interrupted while H2 reads for it (a plugin stopped with {@code shutdownNow()} in the
     * middle of a {@code RuntimeView} read) closes the channel for every thread; MVStore's next write
     * fails and what was committed since its last save is gone when the file is opened again. Same
     * file, same format: {@link #url()} opens it too.
     */
    private String openedName() {
        return "async:" + file;
    }

    private Connection embedded(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:" + openedName() + ";DB_CLOSE_ON_EXIT=FALSE",
                credentials(user, password));
    }

    /** Opens the file embedded and serves it; fails with H2's "already open" when another process holds it. */
    private Connection serve(String user, String password) throws SQLException {
        Connection anchor = embedded(user, password);
        String key = HexFormat.of().formatHex(randomKey());
        Server server;
        try {
            server = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon", "-ifExists", "-key", key, openedName())
                    .start();
            writeAddress(new Address(server.getPort(), key));
        } catch (SQLException | IOException | RuntimeException e) {
            anchor.close();
            throw e instanceof SQLException s ? s
                    : new SQLException("cannot serve the store file " + file + " to readers: " + e.getMessage(), e);
        }
        served = new Served(server, key, anchor);
        LOG.debug("serving {} to other processes on local port {}", file, server.getPort());
        return embedded(user, password);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * Stops serving: the address goes first, so that nobody connects to a server about to stop, then
     * the server (its connections fail; their next attempt waits for the file), then the connection
     * that kept the file open. The caller closes its own connections before, so that the file closes
     * with the last of them, in order.
     */
    @Override
    public void close() {
        synchronized (SERVING) {
            if (served == null) {
                return;
            }
            try {
                Address written = readAddress();
                if (written != null && written.key().equals(served.key())) {
                    Files.deleteIfExists(addressFile);
                }
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {}", addressFile, e.toString()); // a stale address is only retried
            }
            served.server().stop();
            try {
                served.anchor().close();
            } catch (SQLException e) {
                LOG.warn("closing the store file {} failed: {}", file, e.toString());
            }
            served = null;
        }
    }

    /** Where the file's server listens, and the key that names the file there. */
    private record Address(int port, String key) {
        String url() {
            return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + key + ";DB_CLOSE_ON_EXIT=FALSE";
        }
    }

    private Address readAddress() {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(addressFile, StandardCharsets.UTF_8)) {
            p.load(in);
            return new Address(Integer.parseInt(p.getProperty("port")), p.getProperty("key"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // being written, or damaged: treated as absent, the lock on the file decides
        }
    }

    /** Writes the address readable by the owner only, whole: a reader sees the old file or the new one. */
    private void writeAddress(Address address) throws IOException {
        Path tmp = addressFile.resolveSibling(addressFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not POSIX: the directory's own permissions guard it
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another process is writing " + tmp, e);
        }
        Properties p = new Properties();
        p.setProperty("port", Integer.toString(address.port()));
        p.setProperty("key", address.key());
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "the H2 server of " + file + ", for readers while it is open; do not share");
        }
        Files.move(tmp, addressFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Properties credentials(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user == null ? "" : user);
        p.setProperty("password", password == null ? "" : password);
        return p;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    /** HikariCP waits this long for a connection attempt under way when the pool closes. */
    @Override
    public int getLoginTimeout() {
        return (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeoutMillis));
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the timeout is this file's own (the store's connect timeout)
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }

    @Override
    public String toString() {
        return url();
    }
}
