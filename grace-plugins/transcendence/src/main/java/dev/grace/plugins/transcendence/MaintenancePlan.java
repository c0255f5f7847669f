package dev.grace.plugins.transcendence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The default plan: maintenance of the plugin's own state in its data directory, the work the
 * runtime's store maintenance (retention purge, verify of the last hour, backup) will do once the
 * store offers it to plugins.
 *
 * <p>The state is a <b>journal</b>, {@code journal.tsv}: one line per plan run, each ending in a CRC32
 * of the rest of the line. The plan's tasks:
 * <ol>
 *   <li>{@code purge}: drops journal lines and deletes backups older than the retention period;</li>
 *   <li>{@code verify}: checks the CRC of every journal line written in the last hour, and the SHA-256
 *       of every backup against its {@code .sha256} file;</li>
 *   <li>{@code backup} (after {@code verify}, so a corrupt journal is never backed up): copies the
 *       journal to {@code backups/journal-<millis>.tsv} with its SHA-256 beside it.</li>
 * </ol>
 */
final class MaintenancePlan {

    static final String NAME = "maintenance";

    private final Path dir;
    private final Path journal;
    private final Path backups;
    private final Clock clock;
    private final Duration retention;

    MaintenancePlan(Path dir, Clock clock, Duration retention) {
        this.dir = dir;
        this.journal = dir.resolve("journal.tsv");
        this.backups = dir.resolve("backups");
        this.clock = clock;
        this.retention = retention;
    }

    Plan plan(Duration timeout, int retries) {
        return new Plan(NAME, List.of(
                Task.builder("purge", this::purge).timeout(timeout).retries(retries).build(),
                Task.builder("verify", this::verify).timeout(timeout).retries(retries).build(),
                Task.builder("backup", this::backup).dependsOn("verify").timeout(timeout).retries(retries).build()));
    }

    /** Appends a plan run to the journal, with the CRC that {@code verify} checks. */
    void record(PlanReport report) throws IOException {
        Files.createDirectories(dir);
        String line = clock.millis() + "\t" + report.plan() + "\t" + report.taskSuccess() + "\t" + report.seconds();
        Files.writeString(journal, line + "\t" + crc(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    void purge() throws IOException {
        Instant oldest = clock.instant().minus(retention);
        if (Files.exists(journal)) {
            List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
            List<String> kept = lines.stream().filter(l -> !writtenAt(l).isBefore(oldest)).toList();
            if (kept.size() < lines.size()) {
                Path tmp = dir.resolve("journal.tsv.tmp");
                Files.write(tmp, kept, StandardCharsets.UTF_8);
                Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (!Files.isDirectory(backups)) {
            return;
        }
        try (Stream<Path> files = Files.list(backups)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().startsWith("journal-"))::iterator) {
                if (takenAt(f).isBefore(oldest)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    void verify() throws IOException {
        if (Files.exists(journal)) {
            long since = clock.instant().minus(Duration.ofHours(1)).toEpochMilli();
            int n = 0;
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                n++;
                int tab = line.lastIndexOf('\t');
                int first = line.indexOf('\t');
                if (tab < 0 || first < 0) {
                    throw new IOException(journal + " line " + n + " is not a journal line");
                }
                long at;
                try {
                    at = Long.parseLong(line.substring(0, first));
                } catch (NumberFormatException e) {
                    throw new IOException(journal + " line " + n + " has no time: " + e.getMessage());
                }
                if (at >= since && !crc(line.substring(0, tab)).equals(line.substring(tab + 1))) {
                    throw new IOException(journal + " line " + n + " fails its CRC: the journal is corrupt");
                }
            }
        }
        if (Files.isDirectory(backups)) {
            try (Stream<Path> files = Files.list(backups)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".tsv")).sorted()::iterator) {
                    Path sum = f.resolveSibling(f.getFileName() + ".sha256");
                    if (!Files.exists(sum) || !Files.readString(sum).strip().equals(sha256(f))) {
                        throw new IOException("backup " + f + " does not match its " + sum.getFileName());
                    }
                }
            }
        }
    }

    void backup() throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        Files.createDirectories(backups);
        Path copy = backups.resolve("journal-" + clock.millis() + ".tsv");
        Files.copy(journal, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(copy.resolveSibling(copy.getFileName() + ".sha256"), sha256(copy) + "\n");
    }

    /** A journal line's time; a line without one counts as new, so purge leaves it for verify to report. */
    private static Instant writtenAt(String line) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(line.substring(0, Math.max(0, line.indexOf('\t')))));
        } catch (NumberFormatException e) {
            return Instant.MAX;
        }
    }

    private static Instant takenAt(Path backup) {
        String name = backup.getFileName().toString();
        String millis = name.substring("journal-".length(), name.indexOf('.'));
        return Instant.ofEpochMilli(Long.parseLong(millis));
    }

    static String crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
