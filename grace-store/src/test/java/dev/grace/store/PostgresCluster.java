package dev.grace.store;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster a test can stop and start: {@code initdb} and {@code pg_ctl} from
 * {@code /usr/lib/postgresql/<version>/bin} (the newest), a data directory under {@code /tmp}, a free
 * loopback port, trust authentication for user {@code grace} on loopback. As root (which PostgreSQL
 * refuses to run as) the cluster belongs to the {@code postgres} system user, as in {@code .ci/postgres}.
 *
 * <p>Without PostgreSQL installed the test is skipped with the reason, unless PostgreSQL is required:
 * {@code -Dgrace.test.postgres=required}, or {@code -Dgrace.test.postgres.url} given (CI's
 * {@code .ci/run} passes it, so there a missing PostgreSQL fails the test instead).
 */
public final class PostgresCluster implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean root;

    private PostgresCluster(Path bin, Path dir, int port, boolean root) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.root = root;
    }

    /** Whether the build asked for PostgreSQL tests to run, not skip. */
    public static boolean required() {
        return "required".equals(System.getProperty("grace.test.postgres"))
                || System.getProperty("grace.test.postgres.url") != null;
    }

    /** The newest PostgreSQL's bin directory with initdb and pg_ctl. */
    static Optional<Path> binDir() {
        Path lib = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(lib)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Initialises and starts a cluster, or skips the test (fails it when PostgreSQL is required). */
    public static PostgresCluster startOrSkip() throws Exception {
        Optional<Path> bin = binDir();
        String reason = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb and pg_ctl);"
                + " install it (apt-get install postgresql) or run with -Dgrace.test.postgres=required to fail instead";
        if (bin.isEmpty()) {
            if (required()) {
                throw new AssertionError("PostgreSQL is required here but " + reason);
            }
            Assumptions.abort(reason);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "grace-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        PostgresCluster cluster = new PostgresCluster(bin.get(), dir, port, root);
        if (root) {
            run(List.of("chown", "postgres:", dir.toString()));
        }
        cluster.asOwner(bin.get().resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "grace",
                "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C");
        cluster.start();
        return cluster;
    }

    /** The JDBC URL of its {@code postgres} database as user {@code grace}. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=grace";
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() throws Exception {
        asOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                // fsync off (an immediate stop kills processes, not the machine), but commits synchronous:
                // with synchronous_commit=off an immediate stop loses commits the client was told of
                "-h 127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off -c full_page_writes=off", "start");
    }

    /** Stops the server at once, the way a crash would: {@code pg_ctl -m immediate}. */
    public void stopImmediately() throws Exception {
        asOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                "stop");
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                stopImmediately();
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void asOwner(String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        run(full);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + new String(out, StandardCharsets.UTF_8).strip());
        }
    }
}
