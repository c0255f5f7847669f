package dev.grace.plugins.federation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.List;

/**
 * A credential kept in a file, judged by the file's last-modified time: rotated often enough while
 * it is younger than {@code maxAge} on the runtime's clock.
 *
 * @param name   its name, for logs
 * @param file   the file holding it
 * @param maxAge the age beyond which it is overdue for rotation
 */
public record Credential(String name, Path file, Duration maxAge) {

    static final List<String> FIELDS = List.of("name", "file", "maxAge");

    /** Checks the age limit. */
    public Credential {
        if (maxAge.isZero() || maxAge.isNegative()) {
            throw new IllegalArgumentException("credential " + name + ": maxAge must be positive, got " + maxAge);
        }
    }

    /** Reads one {@code credentials} item, such as {@code name=db file=/etc/app/db-password maxAge=30d}. */
    static Credential parse(String where, String item, Duration defaultMaxAge) {
        return of(Fields.parse(where, item, FIELDS), defaultMaxAge);
    }

    /** Reads one {@code credentials} item given as a map of fields. */
    static Credential of(String where, java.util.Map<String, String> item, Duration defaultMaxAge) {
        return of(Fields.of(where, item, FIELDS), defaultMaxAge);
    }

    private static Credential of(Fields f, Duration defaultMaxAge) {
        String where = f.where();
        Path file = Path.of(f.require("file")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw f.wrong("field file names no file: " + file);
        }
        try {
            return new Credential(f.require("name"), file, f.duration("maxAge", defaultMaxAge));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : f.wrong(e.getMessage());
        }
    }

    /** The file's age at {@code now}; empty when it cannot be read (gone, or not readable). */
    public Optional<Duration> age(Instant now) {
        try {
            return Optional.of(Duration.between(Files.getLastModifiedTime(file).toInstant(), now));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether it is younger than {@code maxAge} at {@code now}; an unreadable file is not. */
    public boolean fresh(Instant now) {
        return age(now).map(a -> a.compareTo(maxAge) < 0).orElse(false);
    }
}
